import { Module } from '@nestjs/common';
import { TemplateRenderer } from './template.renderer.js';

/** Message templates (files in apps/notifications/templates). */
@Module({ providers: [TemplateRenderer], exports: [TemplateRenderer] })
export class TemplateModule {}
