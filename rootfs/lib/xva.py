#!/usr/bin/env python3
"""XVA (XenServer / XCP-ng export, export_vsn 2) writer and reader.

  xva.py write --disk RAW --name N --mtime EPOCH --out FILE.xva
  xva.py extract --xva FILE.xva --out RAW      (rebuild the disk, checking every chunk)

Layout: a tar whose first member is ova.xml (the VM, VBD, VDI and SR records
as XML-RPC values), then for the disk's VDI a directory Ref:<id>/ of 1 MiB
chunks named by their 8-digit index, each followed by <index>.checksum (the
chunk's SHA1 in hex). All-zero chunks are left out except the first and the
last (the importer learns the size from virtual_size and the last chunk)."""
import argparse, hashlib, io, os, sys, tarfile, uuid
import xml.etree.ElementTree as ET

CHUNK = 1 << 20
VDI_REF = 'Ref:2'


def v(x):
    if isinstance(x, bool):
        return f'<value><boolean>{int(x)}</boolean></value>'
    if isinstance(x, int):
        # xapi exports its int64 fields as plain strings.
        return f'<value>{x}</value>'
    if isinstance(x, float):
        return f'<value><double>{x}</double></value>'
    if isinstance(x, list):
        return '<value><array><data>' + ''.join(v(i) for i in x) + '</data></array></value>'
    if isinstance(x, dict):
        return '<value><struct>' + ''.join(f'<member><name>{k}</name>{v(val)}</member>' for k, val in x.items()) + '</struct></value>'
    s = str(x).replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    return f'<value>{s}</value>'


def ova_xml(name, size, seed):
    u = lambda k: str(uuid.uuid5(uuid.NAMESPACE_URL, f'lbos:{seed}:{k}'))
    mem = str(2048 << 20)
    vm = {'uuid': u('vm'), 'name_label': name, 'name_description': 'LBOS load-balancer virtual appliance',
          'power_state': 'Halted', 'user_version': 1, 'domid': -1, 'resident_on': 'OpaqueRef:NULL', 'consoles': [], 'is_a_template': False, 'is_control_domain': False,
          'memory_static_max': mem, 'memory_dynamic_max': mem, 'memory_dynamic_min': mem, 'memory_static_min': mem,
          'VCPUs_params': {}, 'VCPUs_max': '2', 'VCPUs_at_startup': '2',
          'actions_after_shutdown': 'destroy', 'actions_after_reboot': 'restart', 'actions_after_crash': 'restart',
          'VIFs': [], 'VBDs': ['Ref:1'], 'crash_dumps': [], 'VTPMs': [],
          'PV_bootloader': '', 'PV_kernel': '', 'PV_ramdisk': '', 'PV_args': '', 'PV_bootloader_args': '', 'PV_legacy_args': '',
          'HVM_boot_policy': 'BIOS order', 'HVM_boot_params': {'order': 'c'}, 'HVM_shadow_multiplier': 1.0,
          'platform': {'acpi': '1', 'apic': 'true', 'pae': 'true', 'nx': 'true', 'viridian': 'false',
                       'device-model': 'qemu-upstream-compat', 'device_id': '0001'},
          'PCI_bus': '', 'other_config': {'base_template_name': 'Debian Bookworm 12', 'mac_seed': u('mac')},
          'domarch': '', 'recommendations': '', 'xenstore_data': {}, 'ha_always_run': False, 'ha_restart_priority': '',
          'tags': [], 'blocked_operations': {}, 'affinity': 'OpaqueRef:NULL', 'suspend_VDI': 'OpaqueRef:NULL'}
    vbd = {'uuid': u('vbd'), 'VM': 'Ref:0', 'VDI': VDI_REF, 'device': 'xvda', 'userdevice': '0', 'bootable': True,
           'mode': 'RW', 'type': 'Disk', 'unpluggable': False, 'empty': False, 'other_config': {'owner': 'true'},
           'qos_algorithm_type': '', 'qos_algorithm_params': {}}
    vdi = {'uuid': u('vdi'), 'name_label': f'{name} disk', 'name_description': 'LBOS system disk (GPT: BIOS boot, ESP, root A/B, data)',
           'SR': 'Ref:3', 'VBDs': ['Ref:1'], 'virtual_size': str(size), 'physical_utilisation': str(size), 'type': 'system',
           'sharable': False, 'read_only': False, 'other_config': {}, 'sm_config': {}, 'xenstore_data': {}, 'tags': [],
           'is_a_snapshot': False, 'snapshot_of': 'OpaqueRef:NULL'}
    sr = {'uuid': u('sr'), 'name_label': 'Local storage', 'name_description': '', 'VDIs': [VDI_REF], 'PBDs': [],
          'type': 'lvm', 'content_type': 'user', 'shared': False, 'other_config': {}, 'sm_config': {}, 'tags': []}
    objs = [{'class': c, 'id': i, 'snapshot': s} for c, i, s in
            (('VM', 'Ref:0', vm), ('VBD', 'Ref:1', vbd), ('VDI', VDI_REF, vdi), ('SR', 'Ref:3', sr))]
    head = {'hostname': 'lbos-build', 'date': '1970-01-01', 'product_version': '8.2.1', 'product_brand': 'XCP-ng',
            'build_number': 'lbos', 'xapi_major': 1, 'xapi_minor': 20, 'export_vsn': 2}
    return ('<?xml version="1.0" ?>' + v({'version': head, 'objects': objs})).encode()


def add(tar, name, data, mtime):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mtime, ti.mode = len(data), mtime, 0o644
    tar.addfile(ti, io.BytesIO(data))


def write(a):
    size = os.path.getsize(a.disk)
    last = (size - 1) // CHUNK
    with tarfile.open(a.out, 'w', format=tarfile.USTAR_FORMAT) as tar, open(a.disk, 'rb') as disk:
        add(tar, 'ova.xml', ova_xml(a.name, size, a.name), a.mtime)
        zero = bytes(CHUNK)
        for i in range(last + 1):
            data = disk.read(CHUNK)
            if len(data) < CHUNK:
                data += bytes(CHUNK - len(data))
            if data == zero and i not in (0, last):
                continue
            add(tar, f'{VDI_REF}/{i:08d}', data, a.mtime)
            add(tar, f'{VDI_REF}/{i:08d}.checksum', hashlib.sha1(data).hexdigest().encode(), a.mtime)


def extract(a):
    with tarfile.open(a.xva, 'r:') as tar:
        first = tar.next()
        if first is None or first.name != 'ova.xml':
            sys.exit('xva: first member is not ova.xml')
        root = ET.fromstring(tar.extractfile(first).read())
        vdis = [s for s in root.iter('struct') if any(m.findtext('name') == 'virtual_size' for m in s.findall('member'))]
        if len(vdis) != 1:
            sys.exit(f'xva: {len(vdis)} VDIs in ova.xml, expected 1')
        size = int(next(m.find('value').text for m in vdis[0].findall('member') if m.findtext('name') == 'virtual_size'))
        chunks, last_data = 0, None
        with open(a.out + '.tmp', 'wb') as out:
            out.truncate(size)
            pending = None
            for m in tar:
                if m is first:
                    continue
                data = tar.extractfile(m).read()
                ref, _, leaf = m.name.partition('/')
                if ref != VDI_REF:
                    sys.exit(f'xva: unexpected member {m.name}')
                if leaf.endswith('.checksum'):
                    if pending is None or leaf != f'{pending[0]:08d}.checksum':
                        sys.exit(f'xva: {m.name} does not follow its chunk')
                    if hashlib.sha1(pending[1]).hexdigest() != data.decode().strip():
                        sys.exit(f'xva: SHA1 of chunk {pending[0]:08d} does not match')
                    pending = None
                    continue
                if pending is not None:
                    sys.exit(f'xva: chunk {pending[0]:08d} has no checksum')
                idx = int(leaf)
                if len(data) != CHUNK:
                    sys.exit(f'xva: chunk {leaf} is {len(data)} bytes')
                out.seek(idx * CHUNK)
                out.write(data[:max(0, min(CHUNK, size - idx * CHUNK))])
                pending, chunks, last_data = (idx, data), chunks + 1, idx
            if last_data != (size - 1) // CHUNK:
                sys.exit(f'xva: last chunk {last_data}, expected {(size - 1) // CHUNK}')
    os.rename(a.out + '.tmp', a.out)
    print(f'xva: {chunks} chunks, {size} bytes')


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    w = sub.add_parser('write')
    w.add_argument('--disk', required=True); w.add_argument('--name', required=True)
    w.add_argument('--mtime', type=int, required=True); w.add_argument('--out', required=True)
    e = sub.add_parser('extract')
    e.add_argument('--xva', required=True); e.add_argument('--out', required=True)
    a = ap.parse_args()
    write(a) if a.cmd == 'write' else extract(a)
