#!/usr/bin/env python3
"""OVF 1.0 descriptor for the VMware OVA, and its checker.

  ovf.py write --name N --version V --vmdk FILE --capacity BYTES --out FILE.ovf
  ovf.py check --ovf FILE.ovf --mf FILE.mf     (files beside the .ovf)

No OVF schema or ovftool is available here, so `check` verifies what ESXi and
Workstation read: namespaces, section order, References <-> DiskSection <->
disk Item, unique InstanceIDs and their Parent links, NIC connections to a
declared network, rasd elements in schema (alphabetical) order, the manifest's
SHA256 of every file, and the streamOptimized VMDK's own descriptor
(createType, capacity, virtualHWVersion not 4, adapter type)."""
import argparse, hashlib, os, re, struct, sys
import xml.etree.ElementTree as ET

NS = {
    'ovf': 'http://schemas.dmtf.org/ovf/envelope/1',
    'rasd': 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData',
    'vssd': 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData',
    'vmw': 'http://www.vmware.com/schema/ovf',
    'xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'cim': 'http://schemas.dmtf.org/wbem/wscim/1/common',
}
VMDK_FORMAT = 'http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized'
NETWORKS = [('VM Network', 'eth0: management and load-balanced traffic'), ('Heartbeat', 'eth1: heartbeat link to the peer unit')]


def item(fields):
    # rasd elements must appear in the CIM schema's (alphabetical) order.
    body = ''.join(f'        <rasd:{k}>{v}</rasd:{k}>\n' for k, v in sorted(fields.items()))
    return f'      <Item>\n{body}      </Item>\n'


def write(a):
    vmdk_size = os.path.getsize(a.vmdk)
    href = os.path.basename(a.vmdk)
    nets = ''.join(f'    <Network ovf:name="{n}">\n      <Description>{d}</Description>\n    </Network>\n' for n, d in NETWORKS)
    items = item({'AllocationUnits': 'hertz * 10^6', 'Description': 'Number of Virtual CPUs', 'ElementName': '2 virtual CPU(s)',
                  'InstanceID': 1, 'ResourceType': 3, 'VirtualQuantity': 2})
    items += item({'AllocationUnits': 'byte * 2^20', 'Description': 'Memory Size', 'ElementName': '2048MB of memory',
                   'InstanceID': 2, 'ResourceType': 4, 'VirtualQuantity': 2048})
    items += item({'Address': 0, 'Description': 'SCSI Controller', 'ElementName': 'SCSI controller 0', 'InstanceID': 3,
                   'ResourceSubType': 'VirtualSCSI', 'ResourceType': 6})
    items += item({'AddressOnParent': 0, 'ElementName': 'Hard disk 1', 'HostResource': 'ovf:/disk/vmdisk1', 'InstanceID': 4,
                   'Parent': 3, 'ResourceType': 17})
    for i, (n, _) in enumerate(NETWORKS):
        items += item({'AddressOnParent': 7 + i, 'AutomaticAllocation': 'true', 'Connection': n,
                       'Description': f'VmxNet3 ethernet adapter on &quot;{n}&quot;', 'ElementName': f'Network adapter {i + 1}',
                       'InstanceID': 5 + i, 'ResourceSubType': 'VmxNet3', 'ResourceType': 10})
    doc = f'''<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="{NS['ovf']}" xmlns:cim="{NS['cim']}" xmlns:ovf="{NS['ovf']}" xmlns:rasd="{NS['rasd']}" xmlns:vmw="{NS['vmw']}" xmlns:vssd="{NS['vssd']}" xmlns:xsi="{NS['xsi']}">
  <References>
    <File ovf:href="{href}" ovf:id="file1" ovf:size="{vmdk_size}"/>
  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
    <Disk ovf:capacity="{a.capacity}" ovf:capacityAllocationUnits="byte" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="{VMDK_FORMAT}"/>
  </DiskSection>
  <NetworkSection>
    <Info>The list of logical networks</Info>
{nets}  </NetworkSection>
  <VirtualSystem ovf:id="{a.name}">
    <Info>LBOS load-balancer virtual appliance</Info>
    <Name>{a.name}</Name>
    <ProductSection>
      <Info>Information about the installed software</Info>
      <Product>LBOS load balancer</Product>
      <Version>{a.version}</Version>
      <FullVersion>{a.version}</FullVersion>
    </ProductSection>
    <OperatingSystemSection ovf:id="96" vmw:osType="debian10_64Guest">
      <Info>The kind of installed guest operating system</Info>
      <Description>Debian GNU/Linux 12 (64-bit)</Description>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>{a.name}</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>vmx-14</vssd:VirtualSystemType>
      </System>
{items}      <vmw:Config ovf:required="false" vmw:key="firmware" vmw:value="bios"/>
      <vmw:Config ovf:required="false" vmw:key="tools.syncTimeWithHost" vmw:value="true"/>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
'''
    with open(a.out, 'w') as f:
        f.write(doc)


def vmdk_descriptor(path):
    with open(path, 'rb') as f:
        head = f.read(512)
        magic, version, flags, capacity, grain, desc_off, desc_size = struct.unpack_from('<IIIQQQQ', head, 0)
        if magic != 0x564D444B:
            raise ValueError(f'{path}: not a sparse VMDK (magic {magic:#x})')
        f.seek(desc_off * 512)
        text = f.read(desc_size * 512).split(b'\0', 1)[0].decode()
    return capacity, text


def check(a):
    problems = []
    base = os.path.dirname(os.path.abspath(a.ovf))
    root = ET.parse(a.ovf).getroot()
    q = lambda p, t: f'{{{NS[p]}}}{t}'
    if root.tag != q('ovf', 'Envelope'):
        problems.append(f'root element {root.tag}, expected ovf:Envelope (OVF 1.0 namespace)')
    order = [c.tag for c in root]
    want = [q('ovf', t) for t in ('References', 'DiskSection', 'NetworkSection', 'VirtualSystem')]
    if order != want:
        problems.append(f'Envelope children {order}, expected {want}')
    files = {f.get(q('ovf', 'id')): f for f in root.iter(q('ovf', 'File'))}
    for fid, f in files.items():
        p = os.path.join(base, f.get(q('ovf', 'href')))
        if not os.path.exists(p):
            problems.append(f'File {fid}: {p} missing')
        elif int(f.get(q('ovf', 'size'))) != os.path.getsize(p):
            problems.append(f'File {fid}: ovf:size {f.get(q("ovf", "size"))} != {os.path.getsize(p)}')
    disks = {d.get(q('ovf', 'diskId')): d for d in root.iter(q('ovf', 'Disk'))}
    for did, d in disks.items():
        if d.get(q('ovf', 'fileRef')) not in files:
            problems.append(f'Disk {did}: fileRef not in References')
        if d.get(q('ovf', 'format')) != VMDK_FORMAT:
            problems.append(f'Disk {did}: format {d.get(q("ovf", "format"))}')
    nets = {n.get(q('ovf', 'name')) for n in root.iter(q('ovf', 'Network'))}
    items = list(root.iter(q('ovf', 'Item')))
    ids = [i.find(q('rasd', 'InstanceID')).text for i in items]
    if len(ids) != len(set(ids)):
        problems.append(f'duplicate InstanceIDs {ids}')
    for i in items:
        tags = [c.tag.split('}')[1] for c in i]
        if tags != sorted(tags):
            problems.append(f'Item {i.find(q("rasd", "InstanceID")).text}: rasd elements not in schema order {tags}')
        rt = i.find(q('rasd', 'ResourceType')).text
        parent = i.find(q('rasd', 'Parent'))
        if parent is not None and parent.text not in ids:
            problems.append(f'Item Parent {parent.text} does not exist')
        if rt == '17':
            hr = i.find(q('rasd', 'HostResource')).text
            if hr.rsplit('/', 1)[-1] not in disks:
                problems.append(f'disk Item HostResource {hr} names no Disk')
        if rt == '10' and i.find(q('rasd', 'Connection')).text not in nets:
            problems.append('NIC connected to an undeclared network')
    kinds = sorted(i.find(q('rasd', 'ResourceType')).text for i in items)
    for need in ('3', '4', '6', '17', '10'):
        if need not in kinds:
            problems.append(f'no Item of ResourceType {need}')
    vst = root.find(f'.//{q("vssd", "VirtualSystemType")}')
    if vst is None or not re.fullmatch(r'vmx-\d+', vst.text):
        problems.append('VirtualSystemType must be vmx-NN')
    # Manifest: one SHA256 line per file, all correct.
    listed = {}
    for line in open(a.mf):
        m = re.fullmatch(r'SHA256\((.+)\)= ([0-9a-f]{64})\n?', line)
        if not m:
            problems.append(f'manifest line not "SHA256(file)= hex": {line!r}')
            continue
        listed[m.group(1)] = m.group(2)
    expected = {os.path.basename(a.ovf)} | {f.get(q('ovf', 'href')) for f in files.values()}
    if set(listed) != expected:
        problems.append(f'manifest lists {sorted(listed)}, expected {sorted(expected)}')
    for name, digest in listed.items():
        p = os.path.join(base, name)
        if os.path.exists(p) and hashlib.sha256(open(p, 'rb').read()).hexdigest() != digest:
            problems.append(f'manifest: SHA256 of {name} does not match')
    # The VMDK's embedded descriptor.
    for did, d in disks.items():
        href = files[d.get(q('ovf', 'fileRef'))].get(q('ovf', 'href'))
        sectors, text = vmdk_descriptor(os.path.join(base, href))
        kv = dict(re.findall(r'^([\w.]+)\s*=\s*"?([^"\n]*)"?$', text, re.M))
        if kv.get('createType') != 'streamOptimized':
            problems.append(f'{href}: createType {kv.get("createType")}')
        if kv.get('ddb.virtualHWVersion') in (None, '4'):
            problems.append(f'{href}: ddb.virtualHWVersion {kv.get("ddb.virtualHWVersion")} (ESXi refuses 4)')
        if kv.get('ddb.adapterType') not in ('lsilogic', 'pvscsi'):
            problems.append(f'{href}: ddb.adapterType {kv.get("ddb.adapterType")}')
        if sectors * 512 != int(d.get(q('ovf', 'capacity'))):
            problems.append(f'{href}: capacity {sectors * 512} != ovf:capacity {d.get(q("ovf", "capacity"))}')
        if f'RW {sectors} SPARSE' not in text:
            problems.append(f'{href}: extent line "RW {sectors} SPARSE" missing')
    for p in problems:
        print(f'ovf check: {p}', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    w = sub.add_parser('write')
    for k in ('name', 'version', 'vmdk', 'capacity', 'out'):
        w.add_argument('--' + k, required=True)
    c = sub.add_parser('check')
    c.add_argument('--ovf', required=True)
    c.add_argument('--mf', required=True)
    a = ap.parse_args()
    sys.exit(write(a) or 0 if a.cmd == 'write' else check(a))
