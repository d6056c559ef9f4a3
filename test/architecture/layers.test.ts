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
    plant('src/infrastructure/db.ts', "import { PlaceOrder } from '../application/place-order.js';\n");
    plant('src/interfaces/http/app.ts', "import express from 'express';\n");

    it('reports each import that points the wrong way, and nothing else', () => {
      expect(findLayerViolations(plantedRoot)).toEqual([
        {
          file: 'src/domain/order/order.ts',
          imported: '@mikro-orm/core',
          rule: 'domain must not import the package "@mikro-orm/core"',
        },
        {
          file: 'src/domain/order/order.ts',
          imported: '../../infrastructure/db.js',
          rule: 'domain must not import infrastructure',
        },
        {
          file: 'src/application/lazy.ts',
          imported: '../interfaces/http/app.js',
          rule: 'application must not import interfaces',
        },
        {
          file: 'src/application/place-order.ts',
          imported: '../infrastructure/db.js',
          rule: 'application must not import infrastructure',
        },
        {
          file: 'src/application/place-order.ts',
          imported: 'express',
          rule: 'application must not import the package "express"',
        },
      ]);
    });
  });
});
