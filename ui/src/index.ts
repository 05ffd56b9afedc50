// The shared components and what their users need with them. Importing this registers every rh-*
// element; import a single file to register only that one.
export { Chat, type ChatSender } from './chat.js';
export { ChatThread, type ChatEntry } from './chat-thread.js';
export { HelperSession, type HelperPhase, type EndedEvent } from './helper-session.js';
export { PersonCard } from './person-card.js';
export { PolicyRefusal } from './policy-refusal.js';
export { SecurityCode } from './security-code.js';
export { isValidCode, normalizeCode } from './security-code-input.js';
export { SessionEnded } from './session-ended.js';
export { SharedScreen } from './shared-screen.js';
export { SharerSession, type SharerPhase } from './sharer-session.js';
export { TrustCard, type AllowEvent, type DenyEvent } from './trust-card.js';
export { WarningList } from './warning-list.js';
export { errorMessage } from './i18n/error-messages.js';
export { defaultRemedy, remedyMessage, type Remedy } from './i18n/remedy-messages.js';
export { permissionLabel, sessionLevelLabel } from './i18n/permission-labels.js';
export { applyDocumentLocale, setUpLocalization, type Localization } from './i18n/localization.js';
export { directionOf, pickLocale, sourceLocale } from './i18n/locales.js';
export { baseStyles } from './shared-styles.js';
