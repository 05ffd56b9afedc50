// The discovery endpoints (RFC 7644 §4): what this service supports, its resource types, and their
// schemas, the latter made from the same attribute table that reads the bodies (attributes.ts).
import {
  enterpriseAttributes, groupAttributes, schemaUris, userAttributes, type AttributeSpec,
} from './attributes.js';
import { maxPageSize } from './list-query.js';
import { listResponse } from './list-response.js';

type Resource = Record<string, unknown>;

export function serviceProviderConfig(baseUrl: string): Resource {
  return {
    schemas: [schemaUris.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: maxPageSize },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [{
      type: 'oauthbearertoken',
      name: 'Bearer token',
      description: 'The secret token configured for the organization (tenants[].scim.token), sent as Authorization: Bearer.',
      primary: true,
    }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

const resourceTypeList = (baseUrl: string): Resource[] => [
  {
    schemas: [schemaUris.resourceType], id: 'User', name: 'User', endpoint: '/Users', description: 'User Account',
    schema: schemaUris.user, schemaExtensions: [{ schema: schemaUris.enterprise, required: false }],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
  },
  {
    schemas: [schemaUris.resourceType], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Group',
    schema: schemaUris.group, meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
  },
];

/** RFC 7643 §7: an attribute's definition with every characteristic spelled out. */
function definition(a: AttributeSpec): Resource {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued ?? false,
    description: a.description ?? '',
    required: a.required ?? false,
    ...(a.type === 'string' || a.type === 'reference' || a.type === 'binary' ? { caseExact: a.caseExact ?? false } : {}),
    mutability: a.mutability ?? 'readWrite',
    returned: a.returned ?? 'default',
    uniqueness: a.uniqueness ?? 'none',
    ...(a.type === 'reference' ? { referenceTypes: a.name === '$ref' ? ['User', 'Group'] : ['external'] } : {}),
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(definition) } : {}),
  };
}

// id, externalId and meta are common attributes (RFC 7643 §3.1), not part of a schema's definition.
const own = (attrs: AttributeSpec[]) => attrs.filter((a) => !['id', 'externalId', 'meta'].includes(a.name));

const schemaList = (baseUrl: string): Resource[] => [
  [schemaUris.user, 'User', 'User Account', own(userAttributes)] as const,
  [schemaUris.enterprise, 'EnterpriseUser', 'Enterprise User', enterpriseAttributes] as const,
  [schemaUris.group, 'Group', 'Group', own(groupAttributes)] as const,
].map(([id, name, description, attributes]) => ({
  schemas: [schemaUris.schema], id, name, description, attributes: attributes.map(definition),
  meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` },
}));

export function resourceTypes(baseUrl: string) {
  const list = resourceTypeList(baseUrl);
  return { list: listResponse(list.length, 1, list), byId: (id: string) => list.find((r) => r['id'] === id) };
}

export function schemas(baseUrl: string) {
  const list = schemaList(baseUrl);
  return { list: listResponse(list.length, 1, list), byId: (id: string) => list.find((r) => String(r['id']).toLowerCase() === id.toLowerCase()) };
}
