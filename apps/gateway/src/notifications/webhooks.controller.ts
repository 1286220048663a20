import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  NotificationsWebhookAttempts,
  NotificationsWebhookCreate,
  NotificationsWebhookDelete,
  NotificationsWebhookList,
  pageOf,
  TenantIdParams,
  Webhook,
  WebhookAttempt,
  WebhookCreateBody,
  WebhookCreated,
  WebhookListQuery,
  WebhookParams,
  type CallContext,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import type { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '../openapi/api-route.decorator.js';

const TAG = 'notifications';

/** A tenant's webhooks (docs/api.md "Notifications and audit"): owners and admins (webhooks:manage). */
@Controller(`${API_PREFIX}/tenants/:tenant_id/webhooks`)
export class WebhooksController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({
    summary: "A tenant's webhooks (never their secrets)",
    tag: TAG,
    params: TenantIdParams,
    query: WebhookListQuery,
    response: pageOf(Webhook),
  })
  list(
    @ValidParams() params: z.output<typeof TenantIdParams>,
    @ValidQuery() query: z.output<typeof WebhookListQuery>,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.request(NotificationsWebhookList, { ...query, tenant_id: params.tenant_id }, ctx);
  }

  @Post()
  @HttpCode(201)
  @ApiRoute({
    summary:
      'Create a webhook: POSTs `{id, kind, tenant_id, created_at, data}` signed with `Lockwell-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; `events` defaults to every kind; `secret` is shown only in this answer. Production accepts only https:// URLs to public addresses',
    tag: TAG,
    params: TenantIdParams,
    body: WebhookCreateBody,
    response: WebhookCreated,
    status: 201,
  })
  create(
    @ValidParams() params: z.output<typeof TenantIdParams>,
    @ValidBody() body: z.output<typeof WebhookCreateBody>,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.request(NotificationsWebhookCreate, { ...body, tenant_id: params.tenant_id }, ctx);
  }

  @Delete(':webhook_id')
  @HttpCode(204)
  @ApiRoute({
    summary: 'Delete a webhook; its pending deliveries are dropped',
    tag: TAG,
    params: WebhookParams,
    status: 204,
  })
  async remove(@ValidParams() params: z.output<typeof WebhookParams>, @Ctx() ctx: CallContext) {
    await this.rpc.request(NotificationsWebhookDelete, params, ctx);
  }

  @Get(':webhook_id/deliveries')
  @ApiRoute({
    summary:
      "A webhook's delivery log, newest attempt first: status code or error and duration of each attempt (extension)",
    tag: TAG,
    params: WebhookParams,
    query: WebhookListQuery,
    response: pageOf(WebhookAttempt),
  })
  attempts(
    @ValidParams() params: z.output<typeof WebhookParams>,
    @ValidQuery() query: z.output<typeof WebhookListQuery>,
    @Ctx() ctx: CallContext,
  ) {
    return this.rpc.request(NotificationsWebhookAttempts, { ...query, ...params }, ctx);
  }
}
