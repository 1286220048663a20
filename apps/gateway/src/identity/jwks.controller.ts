import { Controller, Get, Header } from '@nestjs/common';
import { z } from 'zod';
import { Jwk } from '@lockwell/contracts';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { JwksCache } from '../auth/jwks.cache.js';

/** The public keys that verify Lockwell access tokens (RFC 7517), for resource servers of our own. */
@Controller('.well-known')
export class JwksController {
  constructor(private readonly jwks: JwksCache) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiRoute({
    summary: 'JWK Set of the access-token signing keys (current and still-valid previous ones)',
    tag: 'auth',
    public: true,
    response: z.object({ keys: z.array(Jwk) }),
  })
  get() {
    return this.jwks.publicJwks();
  }
}
