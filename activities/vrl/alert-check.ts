import { inputAlertSchema, type InputAlert } from '../../core/formats.js';

export type AlertCheck = { alert: InputAlert } | { reason: string };

const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;
/** The declared keys of `other_attributes_dict`, in the schema's order; the rest pass through. */
const DECLARED_ATTRIBUTES = ['priority', 'port', 'url', 'user_agent', 'cert'] as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

const isAlertId = (id: unknown): id is string | number =>
  (typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isFinite(id));

function declaredAttributeOk(key: (typeof DECLARED_ATTRIBUTES)[number], v: unknown): boolean {
  if (key === 'priority') return typeof v === 'number' && Number.isFinite(v);
  if (key === 'port') return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
  return typeof v === 'string';
}

function techniques(tech: unknown): string[] | undefined {
  if (tech === undefined) return [];
  if (!Array.isArray(tech)) return undefined;
  const out: string[] = [];
  // Indexed, not every(): a hole must fail as zod fails it.
  for (let i = 0; i < tech.length; i++) {
    const t: unknown = tech[i];
    if (typeof t !== 'string' || !ATTACK_ID.test(t)) return undefined;
    out.push(t);
  }
  return out;
}

function attributes(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return {};
  if (!isPlainObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of DECLARED_ATTRIBUTES) {
    if (!Object.hasOwn(value, key)) continue;
    const v = value[key];
    if (!declaredAttributeOk(key, v)) return undefined;
    out[key] = v;
  }
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return undefined;
    if (!(DECLARED_ATTRIBUTES as readonly string[]).includes(key)) out[key] = value[key];
  }
  return out;
}

/**
 * The alert `inputAlertSchema` would produce, built directly, or undefined when anything is not
 * plainly well-typed. Program output almost always is, and building it here costs a fraction of
 * a schema parse; whatever is unusual goes to the schema, which words the rejection.
 */
export function wellTypedAlert(
  value: Record<string, unknown>,
  id: unknown,
): InputAlert | undefined {
  const { time, src, dst, name } = value;
  if (!isAlertId(id)) return undefined;
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) return undefined;
  if (typeof src !== 'string' || typeof dst !== 'string') return undefined;
  if (typeof name !== 'string' || name.length === 0) return undefined;
  const tech = techniques(value.tech);
  const other = tech && attributes(value.other_attributes_dict);
  if (!tech || !other) return undefined;
  return { id: String(id), time, src, dst, name, tech, other_attributes_dict: other };
}

function validationReason(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .map((i) => `field ${i.path.map(String).join('.') || '(alert)'}: ${i.message}`)
    .join('; ');
}

/**
 * Checks one mapped alert against the internal format; an alert without an `id` gets
 * `fallbackId`. The answer is the schema's own: the same alert, or its reasons word for word.
 */
export function checkMappedAlert(value: Record<string, unknown>, fallbackId: string): AlertCheck {
  const id = value.id === undefined ? fallbackId : value.id;
  const alert = wellTypedAlert(value, id);
  if (alert) return { alert };
  const parsed = inputAlertSchema.safeParse(value.id === undefined ? { ...value, id } : value);
  if (parsed.success) return { alert: parsed.data };
  return { reason: `mapped alert is invalid: ${validationReason(parsed.error.issues)}` };
}
