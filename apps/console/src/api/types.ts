// Shapes of the API as the generated client (docs/openapi.json) declares them: a changed route changes these
// types, and the console's build breaks instead of its users.
import type { operations } from '@lockwell/sdk';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Success<O> = O extends { responses: infer R }
  ? R extends { 200: infer S }
    ? Json<S>
    : R extends { 201: infer S }
      ? Json<S>
      : R extends { 202: infer S }
        ? Json<S>
        : never
  : never;
type Body<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Profile = Success<operations['ProfileController_get']>;
export type User = Success<operations['UsersController_get']>;
export type Role = Success<operations['RolesController_get']>;
export type Session = Success<operations['TokensController_sessions']>['items'][number];
export type ApiToken = Success<operations['TokensController_get']>;
export type CreatedApiToken = Success<operations['TokensController_create']>;
export type Tenant = Success<operations['TenantsController_get']>;
export type Member = Success<operations['MembersController_list']>['items'][number];
export type SecretMetadata = Success<operations['UserSecretsController_metadata']>;
export type SecretWithValue = Success<operations['UserSecretsController_get']>;
export type SecretVersion = Success<operations['UserSecretsController_versions']>['items'][number];
export type SecretUsage = Success<operations['UserSecretsController_usage']>['items'][number];
export type SecretListQuery = NonNullable<operations['TenantSecretsController_list']['parameters']['query']>;
export type CreateSecretBody = Body<operations['UserSecretsController_create']>;
export type UpdateSecretBody = Body<operations['UserSecretsController_update']>;
export type MasterKeyStatus = Success<operations['MasterKeyController_status']>;
export type SecretType = SecretMetadata['type'];
export type SecretStatus = SecretMetadata['status'];
export type AuditRecord = Success<operations['AuditController_list']>['items'][number];
export type AuditQuery = NonNullable<operations['AuditController_list']['parameters']['query']>;
export type AuditVerification = Success<operations['AuditController_verify']>;
export type Service = Success<operations['AdminServicesController_get']>;
export type ServicePreset = Success<operations['AdminServicesController_presets']>['items'][number];
export type CreateServiceBody = Body<operations['AdminServicesController_create']>;
export type ConnectableService = Success<operations['ServicesController_catalog']>['items'][number];
export type InboxItem = Success<operations['NotificationsController_list']>['items'][number];
export type NotificationKind = InboxItem['kind'];
export type NotificationPreference = Success<operations['NotificationsController_preferences']>['items'][number];
export type Webhook = Success<operations['WebhooksController_list']>['items'][number];
export type CreatedWebhook = Success<operations['WebhooksController_create']>;
export type WebhookDelivery = Success<operations['WebhooksController_attempts']>['items'][number];
