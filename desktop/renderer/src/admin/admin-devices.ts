// Tenant administration > Device enrollment (issue 8): browsers enrolled on /enroll wait here for an
// administrator, who approves each one (rules that require an approved device then let it through) or
// removes it (its key stops working; asked first). Below, devices can be imported from a CSV file. The
// section is not called "Devices": that name belongs to the console's inventory (DESIGN §9).
import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import type { Ack, Device } from '#protocol';
import { complianceLabel, formatTime } from '../app/format.js';
import { adminCall, type AdminCaller } from './admin-call.js';
import { AdminSection } from './admin-section.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import './confirm-dialog.js';
import './device-import.js';

export class AdminDevices extends AdminSection {
  static override properties = {
    devices: { state: true },
    notice: { state: true },
    busyDevice: { state: true },
  };
  /** The devices awaiting approval, oldest first. */
  declare devices: Device[] | undefined;
  declare notice: string;
  /** A row whose change the relay is answering: its buttons wait. */
  declare busyDevice: string | undefined;

  constructor() {
    super();
    this.notice = '';
  }

  protected override async load(): Promise<void> {
    this.loading = true;
    const res = await adminCall(this.client!, 'listPendingDevices', {});
    this.loading = false;
    if (res.ok) this.devices = res.value;
    else this.error = res.error;
  }

  /** One change of one device; the list is read again after it, then `done` announced. */
  private async change(d: Device, run: (client: AdminCaller) => Promise<Ack<unknown>>, done: string): Promise<void> {
    this.busyDevice = d.id;
    this.error = undefined;
    this.notice = '';
    const res = await run(this.client!);
    this.busyDevice = undefined;
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    await this.load();
    this.notice = done;
  }

  private approve(d: Device): Promise<void> {
    return this.change(d, (c) => adminCall(c, 'approveDevice', { id: d.id }),
      msg(str`${d.name} approved. Rules that require an approved device now let it through.`));
  }

  private async removeDevice(d: Device): Promise<void> {
    const dialog = this.renderRoot.querySelector<ConfirmDialog>('rh-confirm-dialog');
    const question = msg(str`Remove ${d.name}? Its enrollment is rejected and its key stops working; the browser can enroll again and wait for approval.`);
    if (!dialog || !(await dialog.ask(question, msg('Remove device')))) return;
    await this.change(d, (c) => adminCall(c, 'removeDevice', { id: d.id }), msg(str`${d.name} removed.`));
  }

  override render() {
    return html`<h2>${msg('Device enrollment')}</h2>
      <p class="hint">${msg('Browsers enrolled on the enrollment page report their own name and properties. Approve the ones you recognize: a rule that requires a compliant device lets only approved (or imported) devices through.')}</p>
      <rh-policy-refusal .error=${this.error} ?hidden=${!this.error}></rh-policy-refusal>
      ${this.error?.message ? html`<p class="hint" dir="auto">${this.error.message}</p>` : nothing}
      <p role="status" class="status" dir="auto">${this.notice}</p>
      ${this.loading && !this.devices ? html`<p role="status">${msg('Loading…')}</p>` : nothing}
      ${this.devices ? this.renderPending(this.devices) : nothing}
      <h3>${msg('Import devices')}</h3>
      <rh-device-import .client=${this.client}></rh-device-import>
      <rh-confirm-dialog></rh-confirm-dialog>`;
  }

  private renderPending(devices: Device[]): TemplateResult {
    return html`<div class="scroll" tabindex="0" role="group" aria-labelledby="devices-caption"><table>
      <caption id="devices-caption">${msg('Devices awaiting approval')}</caption>
      <thead><tr>
        <th scope="col">${msg('Name')}</th>
        <th scope="col">${msg('Platform')}</th>
        <th scope="col">${msg('Primary user')}</th>
        <th scope="col">${msg('Compliance')}</th>
        <th scope="col">${msg('Enrolled on')}</th>
        <th scope="col">${msg('Actions')}</th>
      </tr></thead>
      <tbody>
        ${devices.length === 0 ? html`<tr><td colspan="6" class="empty"><strong>${msg('No devices are waiting for approval.')}</strong>${msg('Browsers that enroll on the enrollment page appear here for you to approve.')}</td></tr>` : nothing}
        ${devices.map((d) => this.renderDevice(d))}
      </tbody>
    </table></div>`;
  }

  private renderDevice(d: Device): TemplateResult {
    const busy = this.busyDevice === d.id;
    return html`<tr>
      <th scope="row" dir="auto">${d.name}</th>
      <td><span dir="auto">${[d.platform, d.osVersion].filter(Boolean).join(' ')}</span><span class="badge">${msg('Self-reported')}</span></td>
      <td dir="ltr">${d.primaryUser}</td>
      <td>${complianceLabel(d.compliance)}</td>
      <td><time datetime=${d.enrolledAt}>${formatTime(d.enrolledAt)}</time></td>
      <td><div class="actions">
        <button class="primary" ?disabled=${busy} aria-label=${msg(str`Approve ${d.name}`)}
          @click=${() => void this.approve(d)}>${msg('Approve')}</button>
        <button class="danger" ?disabled=${busy} aria-label=${msg(str`Remove ${d.name}`)}
          @click=${() => void this.removeDevice(d)}>${msg('Remove')}</button>
      </div></td>
    </tr>`;
  }
}

if (!customElements.get('rh-admin-devices')) customElements.define('rh-admin-devices', AdminDevices);

declare global {
  interface HTMLElementTagNameMap {
    'rh-admin-devices': AdminDevices;
  }
}
