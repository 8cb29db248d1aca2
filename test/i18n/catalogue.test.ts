import { describe, expect, it } from 'vitest';
import { hasMessage, LOCALES, loadResources } from '../../src/i18n/catalogue.ts';
import { LABELLED } from '../../src/i18n/labels.ts';
import { EXECUTION_STATUS_NAMES, WORKFLOW_TYPES } from '../../src/services/workflow-audit.ts';

/** Every key path of a namespace's resources, e.g. `coverage.screen`. */
function keysOf(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([key, value]) => keysOf(value, prefix ? `${prefix}.${key}` : key));
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

describe('the message catalogue', () => {
  const resources = loadResources();

  it('has every key in every language', () => {
    // Plural forms differ by language (English has _one and _other, Chinese only _other): compared by base key.
    const keysIn = (locale: string) =>
      new Set(
        Object.entries(resources[locale] ?? {}).flatMap(([ns, tree]) =>
          keysOf(tree).map((key) => `${ns}:${key.replace(PLURAL_SUFFIX, '')}`),
        ),
      );
    const everyKey = new Set(LOCALES.flatMap((locale) => [...keysIn(locale)]));
    const missing = LOCALES.flatMap((locale) => {
      const present = keysIn(locale);
      return [...everyKey].filter((code) => !present.has(code)).map((code) => `${locale} ${code}`);
    });
    expect(missing).toEqual([]);
  });

  it('names every value of every labelled domain concept, in every language', () => {
    const concepts: Record<string, readonly string[]> = {
      ...LABELLED,
      workflowType: WORKFLOW_TYPES,
      workflowStatus: EXECUTION_STATUS_NAMES,
    };
    const unnamed = LOCALES.flatMap((locale) =>
      Object.entries(concepts).flatMap(([concept, values]) =>
        values
          .map((value) => `labels:${concept}.${value}`)
          .filter((code) => !hasMessage(locale, code))
          .map((code) => `${locale} ${code}`),
      ),
    );
    expect(unnamed).toEqual([]);
  });
});
