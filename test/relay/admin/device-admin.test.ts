// A tenant's devices through the admin API of the live relay (issue 8): browsers enrolled on /enroll wait
// for an administrator, who approves them or removes them (their key stops proving anything), and a CSV
// file of devices is imported whole or not at all, with every problem named by its line.
import assert from 'node:assert/strict';
import type { Device, DeviceImportResult, LineProblem, WireError } from '#protocol';
import { importedComplianceReason } from '#relay/admin/device-csv.js';
import { demoDevices, demoTenants } from '#relay/directory/index.js';
import { adminCall, enroll, errorCode, goodWindows, proofFor } from '../../support/policy-calls.js';
import { demo, request, startTestRelay, valueOf, type ClientSocket, type TestRelay } from '../../support/relay.js';

const contoso = demoTenants.contoso.id;
const fabrikam = demoTenants.fabrikam.id;
const header = 'name,serialNumber,primaryUser';
const problemsOf = (ack: { ok: boolean; error?: WireError }): LineProblem[] => (ack.ok ? [] : ack.error?.problems ?? []);

describe('devices in the admin API', function () {
  this.timeout(60_000);
  let t: TestRelay;
  let admin: string;
  let sharerToken: string;
  let helper: ClientSocket;
  let sharer: ClientSocket;
  const call = <T>(method: string, args: unknown, token = admin) => adminCall<T>(t, token, method, args);
  const pending = async () => valueOf((await call<Device[]>('listPendingDevices', {})).ack);

  before(async () => {
    t = await startTestRelay();
    admin = await t.token(demo.contosoAdmin);
    sharerToken = await t.token(demo.contosoSharer);
    helper = await t.connect(demo.contosoHelper);
    sharer = await t.connect(demo.contosoSharer);
  });
  after(async () => t?.stop());

  it('lists enrolled browsers waiting for approval, oldest first; approving one makes it approved and moves it forward in the consoles\u2019 sync', async () => {
    const first = await enroll(t, sharerToken, 'Front desk browser', goodWindows);
    const second = await enroll(t, sharerToken, 'Back office browser', goodWindows);
    const waiting = await pending();
    assert.deepEqual(waiting.map((d) => d.name), ['Front desk browser', 'Back office browser']);
    assert.ok(waiting.every((d) => d.managedBy === 'enrollment' && !d.approved));

    const before = (await t.directory.device(contoso, first.deviceId))!;
    const cursor = (await t.directory.devicesChangedSince(contoso, undefined, 100_000)).last;
    const approved = valueOf((await call<Device>('approveDevice', { id: first.deviceId })).ack);
    assert.equal(approved.approved, true);
    assert.ok(approved.updatedAt > before.updatedAt, 'updatedAt moves on, so consoles sync the change');
    const delta = await t.directory.devicesChangedSince(contoso, cursor, 500);
    assert.ok(delta.devices.some((d) => d.id === first.deviceId && d.approved));
    assert.deepEqual((await pending()).map((d) => d.id), [second.deviceId]);
    // Approving twice changes nothing.
    assert.equal(valueOf((await call<Device>('approveDevice', { id: first.deviceId })).ack).updatedAt, approved.updatedAt);
  });

  it('answers not-found for a device it does not have, or one of another tenant', async () => {
    const fabrikamDevice = demoDevices.find((d) => d.tenantId === fabrikam)!;
    for (const method of ['approveDevice', 'removeDevice']) {
      for (const id of ['no-such-device', fabrikamDevice.id]) {
        const { status, ack } = await call(method, { id });
        assert.deepEqual([status, errorCode(ack)], [404, 'not-found'], `${method} ${id}`);
      }
    }
    assert.ok(await t.directory.device(fabrikam, fabrikamDevice.id), 'the other tenant\u2019s device is untouched');
  });

  it('refuses every device method to a non-administrator, changing nothing', async () => {
    const device = await enroll(t, sharerToken, 'Sharer approves herself', goodWindows);
    const helperToken = await t.token(demo.contosoHelper);
    for (const [method, args] of [['listPendingDevices', {}], ['approveDevice', { id: device.deviceId }], ['removeDevice', { id: device.deviceId }],
      ['importDevices', { csv: `${header}\nX,SN-X,` }]] as const) {
      for (const token of [sharerToken, helperToken]) {
        const { status, ack } = await call(method, args, token);
        assert.deepEqual([status, errorCode(ack)], [403, 'admin-only'], method);
      }
    }
    assert.equal((await t.directory.device(contoso, device.deviceId))?.approved, false);
    assert.equal(await t.directory.deviceByName(contoso, 'X'), undefined);
  });

  it('removes a pending enrollment (rejects it): gone from the directory with a tombstone, and its key proves nothing any more', async () => {
    const device = await enroll(t, sharerToken, 'Rejected browser', goodWindows);
    const cursor = (await t.directory.devicesChangedSince(contoso, undefined, 100_000)).last;
    valueOf((await call('removeDevice', { id: device.deviceId })).ack);
    assert.equal(await t.directory.device(contoso, device.deviceId), undefined);
    assert.ok(!(await pending()).some((d) => d.id === device.deviceId));
    const delta = await t.directory.devicesChangedSince(contoso, cursor, 500);
    assert.ok(delta.removed.includes(device.deviceId), 'the consoles hear of the removal');

    const created = valueOf(await request(helper, 'session:create', {}));
    const join = await request(sharer, 'session:join', { code: created.code, proof: await proofFor(sharer, device) });
    assert.equal(errorCode(join), 'device-proof-invalid');
    valueOf(await request(helper, 'session:end', { sessionId: created.sessionId }));
    const again = await call('removeDevice', { id: device.deviceId });
    assert.equal(errorCode(again.ack), 'not-found');
    // The name is free again.
    const renewed = await enroll(t, sharerToken, 'Rejected browser', goodWindows);
    assert.notEqual(renewed.deviceId, device.deviceId);
  });

  it('imports a CSV file: new devices approved with unknown compliance, an earlier import updated by serial number, optional columns', async () => {
    const csv = [
      'name,serialNumber,primaryUser,platform,osVersion,manufacturer,model,ownership,groups',
      'CONTOSO-LT-0500,SN-0500,sharer@contoso.example,Windows,10.0.26100,Lenovo,ThinkPad T14,company,Corporate laptops;Finance devices',
      '"Kiosk, lobby",SN-0501,,Linux,Debian 12,,,Personal,',
      // CONTOSO-LT-0142 was imported with the serial number DEMO000001: renamed, same device.
      'CONTOSO-LT-0142-R,demo000001,admin@contoso.example,Windows,10.0.26100,Contoso Hardware,Surface,company,Corporate laptops',
      '',
    ].join('\r\n');
    const result = valueOf((await call<DeviceImportResult>('importDevices', { csv: `\uFEFF${csv}` })).ack);
    assert.deepEqual(result, { created: 2, updated: 1 });

    const laptop = (await t.directory.deviceByName(contoso, 'CONTOSO-LT-0500'))!;
    assert.deepEqual(
      [laptop.managedBy, laptop.approved, laptop.enrolled, laptop.compliance, laptop.complianceReasons, laptop.ownership, laptop.groups],
      ['import', true, true, 'unknown', [importedComplianceReason], 'company', ['Corporate laptops', 'Finance devices']],
    );
    assert.deepEqual([laptop.serialNumber, laptop.manufacturer, laptop.model, laptop.platform, laptop.osVersion], ['SN-0500', 'Lenovo', 'ThinkPad T14', 'Windows', '10.0.26100']);
    assert.equal((await t.directory.deviceByName(contoso, 'Kiosk, lobby'))?.ownership, 'personal');

    const original = demoDevices.find((d) => d.name === 'CONTOSO-LT-0142')!;
    const renamed = (await t.directory.device(contoso, original.id))!;
    assert.deepEqual([renamed.name, renamed.model, renamed.primaryUser, renamed.compliance], ['CONTOSO-LT-0142-R', 'Surface', 'admin@contoso.example', original.compliance]);
    assert.equal(await t.directory.deviceByName(contoso, 'CONTOSO-LT-0142'), undefined);

    // The same file again: all updated, nothing duplicated; columns left out keep their values.
    const again = valueOf((await call<DeviceImportResult>('importDevices', { csv: `${header}\nCONTOSO-LT-0500,SN-0500,helper@contoso.example\n` })).ack);
    assert.deepEqual(again, { created: 0, updated: 1 });
    const kept = (await t.directory.deviceByName(contoso, 'CONTOSO-LT-0500'))!;
    assert.deepEqual([kept.id, kept.primaryUser, kept.model, kept.groups], [laptop.id, 'helper@contoso.example', 'ThinkPad T14', laptop.groups]);
  });

  it('refuses a file with bad rows as a whole, naming every problem with its line', async () => {
    const taken = await enroll(t, sharerToken, 'Taken by a browser', goodWindows);
    const csv = [
      'name,serialNumber,primaryUser,ownership',
      'NEW-0001,SN-1001,sharer@contoso.example,company',
      ',SN-1002,,company',
      'NEW-0003,SN-1003,,borrowed',
      'new-0001,SN-1004,,',
      'Taken by a browser,SN-1005,,',
      'CONTOSO-MB-0031,SN-1006,,',
      'NEW-0007,SN-1001,,',
      'NEW-0008,SN-1008',
      `${'N'.repeat(101)},SN-1009,,`,
      'NEW-0010,,,',
    ].join('\n');
    const { status, ack } = await call('importDevices', { csv });
    assert.deepEqual([status, errorCode(ack)], [400, 'validation']);
    assert.match(ack.ok ? '' : ack.error.message, /Nothing was imported: 9 lines to fix/);
    const problems = problemsOf(ack);
    const at = (line: number) => problems.filter((p) => p.line === line).map((p) => p.message).join(' | ');
    assert.deepEqual([...new Set(problems.map((p) => p.line))], [3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.match(at(3), /name: empty/);
    assert.match(at(4), /ownership: "borrowed" is not one of company, personal, unknown/);
    assert.match(at(5), /name: new-0001 is already on line 2/);
    assert.match(at(6), /already named Taken by a browser/);
    assert.match(at(7), /already named CONTOSO-MB-0031/);
    assert.match(at(8), /serialNumber: SN-1001 is already on line 2/);
    assert.match(at(9), /2 columns; the header has 4/);
    assert.match(at(10), /name: at most 100 characters/);
    assert.match(at(11), /serialNumber: empty/);
    assert.equal(await t.directory.deviceByName(contoso, 'NEW-0001'), undefined, 'nothing was imported');
    assert.equal((await t.directory.device(contoso, taken.deviceId))?.name, 'Taken by a browser');

    const badHeader = await call('importDevices', { csv: 'name,serial,owner\nX,1,\n' });
    assert.equal(errorCode(badHeader.ack), 'validation');
    assert.match(problemsOf(badHeader.ack)[0]?.message ?? '', /missing serialNumber, primaryUser; unknown serial, owner/);
    const empty = await call('importDevices', { csv: `${header}\n` });
    assert.match(problemsOf(empty.ack)[0]?.message ?? '', /a header but no devices/);
    const unclosed = await call('importDevices', { csv: `${header}\n"Open,SN-1,\n` });
    assert.equal(problemsOf(unclosed.ack)[0]?.line, 2);
  });

  it('refuses a file over 20,000 devices or over 4 MB with payload-too-large', async () => {
    const rows = Array.from({ length: 20_001 }, (_, i) => `BULK-${i},BULK-SN-${i},`);
    const many = await call('importDevices', { csv: [header, ...rows].join('\n') });
    assert.deepEqual([many.status, errorCode(many.ack)], [413, 'payload-too-large']);
    assert.match(many.ack.ok ? '' : many.ack.error.message, /20001 devices; at most 20000/);
    const big = await call('importDevices', { csv: `${header}\n${`BIG,SN,${'x'.repeat(250)}\n`.repeat(17_000)}` });
    assert.equal(errorCode(big.ack), 'payload-too-large');
    assert.match(big.ack.ok ? '' : big.ack.error.message, /bytes; at most 4194304 bytes/);
    assert.equal(await t.directory.deviceByName(contoso, 'BULK-1'), undefined);
  });
});
