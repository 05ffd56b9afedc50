// The /enroll page's views: the enrollment form and its result. Plain templates over the page state.
// An enrolled browser's properties are its own word: the page says the device is self-reported and
// waits for an administrator's approval (or is approved, when the relay says so on a re-visit).
import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { isSelfReported, type Device, type DeviceProperties, type ErrorCode } from '#protocol';
import { errorMessage } from '#ui/i18n/error-messages.js';

export interface EnrollState {
  props: Pick<DeviceProperties, 'platform' | 'osVersion'>;
  busy: boolean;
  /** This browser already holds an enrolled key. */
  enrolledId: string | null;
  /** That key's device as the relay holds it now (null: not asked, or no answer). */
  current: Device | null;
  /** The relay no longer knows this browser's key: an administrator removed (or rejected) the device. */
  removed: boolean;
  result: Device | null;
  error: ErrorCode | null;
}

export interface EnrollSubmit {
  name: string;
  properties: DeviceProperties;
}

function read(form: HTMLFormElement): EnrollSubmit {
  const data = new FormData(form);
  const text = (k: string): string => String(data.get(k) ?? '').trim();
  return {
    name: text('name'),
    properties: { platform: text('platform'), osVersion: text('osVersion'), diskEncryption: data.has('diskEncryption'), firewall: data.has('firewall') },
  };
}

export function enrollView(state: EnrollState, onSubmit: (s: EnrollSubmit) => void): TemplateResult {
  const nameTaken = state.error === 'device-name-taken';
  const submit = (e: SubmitEvent): void => {
    e.preventDefault();
    onSubmit(read(e.currentTarget as HTMLFormElement));
  };
  return html`<h1>${msg('Enroll this device')}</h1>
    <section class="rh-card wide rh-start">
    <p>${msg('Enrolling registers this browser as a device of your organization. A key that cannot be copied out of this browser is created and kept here; when you share your screen, this browser proves it is the enrolled device, and your helper sees its compliance.')}</p>
    ${state.enrolledId && !state.result ? enrolledNotice(state) : nothing}
    <form class="enroll" @submit=${submit} aria-busy=${state.busy ? 'true' : 'false'}>
      <div class="rh-field"><label for="name">${msg('Device name')}</label>
        <input id="name" name="name" required maxlength="100" dir="auto" autocomplete="off" .value=${state.current?.name ?? ''}
          aria-invalid=${nameTaken ? 'true' : 'false'} aria-describedby=${nameTaken ? 'enroll-error' : nothing} /></div>
      <fieldset class="rh-fieldset">
        <legend>${msg('Reported properties')}</legend>
        <p id="agent-note" class="rh-hint">${msg('In a real deployment a management agent on the device reports these. Here you report them yourself, for a demonstration.')}</p>
        <div class="rh-field"><label for="platform">${msg('Platform')}</label>
          <input id="platform" name="platform" required maxlength="50" dir="auto" .value=${state.props.platform} aria-describedby="agent-note" /></div>
        <div class="rh-field"><label for="osVersion">${msg('OS version')}</label>
          <input id="osVersion" name="osVersion" required maxlength="50" dir="auto" .value=${state.props.osVersion} aria-describedby="agent-note" /></div>
        <p class="rh-check"><input type="checkbox" id="diskEncryption" name="diskEncryption" />
          <label for="diskEncryption">${msg('Disk encryption is on')}</label></p>
        <p class="rh-check"><input type="checkbox" id="firewall" name="firewall" />
          <label for="firewall">${msg('Firewall is on')}</label></p>
      </fieldset>
      <p class="rh-actions"><button class="primary" type="submit" ?disabled=${state.busy}>${msg('Enroll this device')}</button></p>
    </form>
    ${state.error ? html`<p class="error" id="enroll-error" role="alert">${errorMessage(state.error)}</p>` : nothing}
    <div role="status">${state.result ? resultView(state.result) : nothing}</div>
    </section>`;
}

/** A re-visit: what the relay holds for this browser now, or that it holds nothing any more. */
function enrolledNotice(state: EnrollState): TemplateResult {
  if (state.removed) {
    return html`<p class="notice">${msg('An administrator removed this browser’s enrollment. Enrolling again registers it as a new device, which waits for an administrator’s approval.')}</p>`;
  }
  const d = state.current;
  if (!d) return html`<p class="notice">${msg('This browser is already enrolled. Enrolling again updates its name and properties.')}</p>`;
  return html`<div class="notice">
    <p><span dir="auto">${msg(str`This browser is already enrolled as ${d.name}.`)}</span> ${msg('Enrolling again updates its name and properties.')}</p>
    ${approvalView(d)}
  </div>`;
}

/** Self-reported, and approved or not: what a rule that requires an approved device will make of it. */
function approvalView(device: Device): TemplateResult {
  return html`<p class="approval">${device.approved
    ? msg('Approved by an administrator.')
    : msg('Awaiting approval: an administrator must approve this device before rules that require an approved device let it through.')}</p>
    ${isSelfReported(device)
      ? html`<p class="self-reported">${msg('Self-reported: its name and properties come from this browser alone, so your helper sees them marked as self-reported.')}</p>`
      : nothing}`;
}

function resultView(device: Device): TemplateResult {
  const compliant = device.compliance === 'compliant';
  return html`<section class="result">
    <h2>${msg('Device enrolled')}</h2>
    <p><span dir="auto">${msg(str`${device.name} is enrolled.`)}</span></p>
    <p>${compliant ? msg('Compliant') : msg('Not compliant')}</p>
    ${compliant
      ? nothing
      : html`<ul aria-label=${msg('Reasons')}>${device.complianceReasons.map((r) => html`<li dir="auto">${r}</li>`)}</ul>`}
    ${approvalView(device)}
  </section>`;
}
