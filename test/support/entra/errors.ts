// The error answers of the Microsoft identity platform, in the shapes its documentation gives:
// the token endpoint's JSON body, and the redirect's error/error_description query (or form_post).
// error_description starts with the AADSTS code and ends with the trace, correlation and timestamp
// lines, as Entra's do; error_codes carries the number alone.
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-1
// https://learn.microsoft.com/entra/identity-platform/reference-error-codes
import { randomUUID } from 'node:crypto';

export interface EntraError {
  /** The OAuth error: invalid_request, invalid_client, invalid_grant, invalid_scope, unauthorized_client, … */
  error: string;
  /** The AADSTS number, e.g. 50126. */
  code: number;
  message: string;
  /** The HTTP status of a token-endpoint answer (400 unless said). */
  status?: number;
}

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** The token endpoint's error body; the correlation id echoes the client's client-request-id, as Entra does. */
export function errorBody(err: EntraError, authorityHost: string, correlationId?: string): EntraErrorBody {
  const timestamp = entraTimestamp();
  const trace = randomUUID();
  const correlation = correlationId ?? randomUUID();
  return {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.message}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: trace,
    correlation_id: correlation,
    error_uri: `${authorityHost}/error?code=${err.code}`,
  };
}

/** "2024-05-01 12:34:56Z", the format of Entra's timestamp field. */
export function entraTimestamp(at = new Date()): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The errors the stand-in answers, by name, with the codes and texts Entra uses for them. */
export const aadsts = {
  tenantNotFound: (tid: string): EntraError => ({ error: 'invalid_tenant', code: 90002, message: `Tenant '${tid}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.` }),
  appNotFound: (clientId: string, tid: string): EntraError => ({
    error: 'unauthorized_client', code: 700016,
    message: `Application with identifier '${clientId}' was not found in the directory '${tid}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
  }),
  redirectMismatch: (clientId: string): EntraError => ({
    error: 'invalid_request', code: 50011,
    message: `The redirect URI specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
  }),
  unsupportedResponseType: (): EntraError => ({ error: 'unsupported_response_type', code: 70005, message: "The provided value for the input parameter 'response_type' is not allowed for this request. Expected value: 'code'." }),
  responseModeNotAllowed: (): EntraError => ({ error: 'invalid_request', code: 900144, message: "The provided value for the input parameter 'response_mode' is not valid. Expected one of: 'query', 'fragment', 'form_post'." }),
  missingParameter: (name: string): EntraError => ({ error: 'invalid_request', code: 900144, message: `The request body must contain the following parameter: '${name}'.` }),
  pkceRequired: (): EntraError => ({ error: 'invalid_request', code: 9002325, message: 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.' }),
  pkceMethod: (): EntraError => ({ error: 'invalid_request', code: 50148, message: "The code_challenge_method is not supported. Supported values: 'S256'." }),
  pkceMismatch: (): EntraError => ({ error: 'invalid_grant', code: 501481, message: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.' }),
  invalidScope: (scope: string): EntraError => ({ error: 'invalid_scope', code: 70011, message: `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid: '${scope}'.` }),
  multipleResources: (): EntraError => ({ error: 'invalid_scope', code: 28000, message: "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope '…' is not valid." }),
  resourceNotFound: (resource: string, tid: string): EntraError => ({
    error: 'invalid_resource', code: 500011,
    message: `The resource principal named ${resource} was not found in the tenant named ${tid}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
  }),
  scopeNotOnResource: (scope: string, resource: string): EntraError => ({ error: 'invalid_scope', code: 650053, message: `The application asked for scope '${scope}' that doesn't exist on the resource '${resource}'.` }),
  clientCredentialsScope: (scope: string): EntraError => ({
    error: 'invalid_scope', code: 1002012,
    message: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  }),
  secretMissing: (): EntraError => ({ error: 'invalid_client', code: 7000218, status: 401, message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." }),
  secretInvalid: (clientId: string): EntraError => ({
    error: 'invalid_client', code: 7000215, status: 401,
    message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
  publicClientSecret: (): EntraError => ({ error: 'invalid_request', code: 700025, message: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented." }),
  unsupportedGrant: (grant: string): EntraError => ({ error: 'unsupported_grant_type', code: 70003, message: `The app requested an unsupported grant type '${grant}'.` }),
  codeInvalid: (): EntraError => ({ error: 'invalid_grant', code: 70000, message: 'The provided value for the input parameter \'code\' is not valid. The code has expired or is malformed.' }),
  codeExpired: (): EntraError => ({ error: 'invalid_grant', code: 70008, message: 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.' }),
  codeRedeemed: (): EntraError => ({ error: 'invalid_grant', code: 54005, message: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.' }),
  codeOtherClient: (): EntraError => ({ error: 'invalid_grant', code: 70000, message: 'The provided value for the input parameter \'code\' is not valid: it was issued to another client.' }),
  tokenRedirectMismatch: (): EntraError => ({ error: 'invalid_grant', code: 70000, message: "The provided value for the input parameter 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code." }),
  refreshInvalid: (): EntraError => ({ error: 'invalid_grant', code: 9002313, message: 'Invalid request. Request is malformed or invalid: the refresh token is not valid.' }),
  refreshRevoked: (): EntraError => ({ error: 'invalid_grant', code: 50173, message: 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.' }),
  accountDisabled: (): EntraError => ({ error: 'invalid_grant', code: 50057, message: 'The user account is disabled. The user object in Active Directory backing this account has been disabled. An admin can re-enable this account through PowerShell.' }),
  userNotFound: (upn: string, tid: string): EntraError => ({ error: 'invalid_grant', code: 50034, message: `The user account ${upn} does not exist in the ${tid} directory. To sign into this application, the account must be added to the directory.` }),
  wrongPassword: (): EntraError => ({ error: 'invalid_grant', code: 50126, message: 'Error validating credentials due to invalid username or password.' }),
  loginRequired: (): EntraError => ({ error: 'login_required', code: 50058, message: 'A silent sign-in request was sent but no user is signed in.' }),
} satisfies Record<string, (...args: never[]) => EntraError>;
