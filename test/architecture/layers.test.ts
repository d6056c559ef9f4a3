import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { findLayerViolations } from './layer-rules.js';

const projectRoot = join(import.meta.dirname, '..', '..');

describe('the dependency rule', () => {
  it('holds for this code base', () => {
    expect(findLayerViolations(projectRoot)).toEqual([]);
  });

  describe('on a planted violation', () => {
    const plantedRoot = mkdtempSync(join(tmpdir(), 'layers-'));
    afterAll(() => rmSync(plantedRoot, { recursive: true, force: true }));

    const plant = (path: string, source: string) => {
      mkdirSync(dirname(join(plantedRoot, path)), { recursive: true });
      writeFileSync(join(plantedRoot, path), source);
    };
    plant(
      'src/domain/order/order.ts',
      "import { Entity } from '@mikro-orm/core';\nimport '../../infrastructure/db.js';\n",
    );
    plant('src/domain/order/order-line.ts', "export type { Thing } from '../shared/thing.js';\n");
    plant('src/domain/shared/thing.ts', 'export type Thing = 1;\n');
    plant(
      'src/application/place-order.ts',
      "import { Database } from '../infrastructure/db.js';\nimport express from 'express';\n",
    );
    plant('src/application/lazy.ts', "export const load = () => import('../interfaces/http/app.js');\n");
    // Tracing is an adapter's business: a use case that wants a span needs a port.
    plant('src/application/traced.ts', "import { trace } from '@opentelemetry/api';\n");
    plant('src/infrastructure/db.ts', "import { PlaceOrder } from '../application/place-order.js';\n");
    plant('src/infrastructure/messaging/bus.ts', "import { app } from '../../interfaces/http/app.js';\n");
    plant(
      'src/infrastructure/di/container.ts',
      "import { app } from '../../interfaces/http/app.js';\nimport '../db.js';\n",
    );
    plant('src/main.ts', "import './infrastructure/di/container.js';\n");
    plant('src/domain/shared/clock.ts', "import { start } from '../../main.js';\n");
    plant('src/interfaces/http/app.ts', "import express from 'express';\n");

    it('reports each import that points the wrong way, and nothing else', () => {
      const reported = findLayerViolations(plantedRoot).map((v) => `${v.file} → ${v.imported}: ${v.rule}`);

      expect(reported.sort()).toEqual([
        'src/application/lazy.ts → ../interfaces/http/app.js: application must not import interfaces',
        'src/application/place-order.ts → ../infrastructure/db.js: application must not import infrastructure',
        'src/application/place-order.ts → express: application must not import the package "express"',
        'src/application/traced.ts → @opentelemetry/api: application must not import the package "@opentelemetry/api"',
        'src/domain/order/order.ts → ../../infrastructure/db.js: domain must not import infrastructure',
        'src/domain/order/order.ts → @mikro-orm/core: domain must not import the package "@mikro-orm/core"',
        'src/domain/shared/clock.ts → ../../main.js: domain must not import composition root',
        'src/infrastructure/messaging/bus.ts → ../../interfaces/http/app.js: infrastructure must not import interfaces',
      ]);
    });
  });
});
