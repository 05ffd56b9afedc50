// What every editable admin section shares: the admin caller it is given, loading its data as soon
// as it has one, and the last failed call shown as a policy refusal. Sections say what they load.
import { LitElement, type PropertyDeclarations } from 'lit';
import { updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '#protocol';
import { baseStyles } from '#ui/shared-styles.js';
import { consoleStyles } from '../console-styles.js';
import '#ui/policy-refusal.js';
import type { AdminCaller } from './admin-call.js';
import { adminStyles } from './admin-styles.js';

export abstract class AdminSection extends LitElement {
  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    loading: { state: true },
    error: { state: true },
  };
  declare client: AdminCaller | undefined;
  declare loading: boolean;
  declare error: WireError | undefined;

  static override styles = [baseStyles, consoleStyles, adminStyles];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.loading = false;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('client') && this.client) void this.load();
  }

  /** Called with `client` set. */
  protected abstract load(): Promise<void>;
}
