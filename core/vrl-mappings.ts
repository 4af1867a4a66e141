import { z } from 'zod';

/**
 * A user's own mapping: a VRL file and what it applies to. Proposed as the VRL_MAPPINGS setting
 * (a JSON array of these). An entry matches a record when the input's key starts with
 * `keyPrefix` or the record's Splunk sourcetype is one of `sourcetype`; user mappings are tried
 * before the built-in ones, in the order given.
 */
export const vrlMappingSchema = z
  .object({
    /** Path of the .vrl file, absolute or relative to the working directory. */
    program: z
      .string()
      .min(1)
      .regex(/\.vrl$/, 'must name a .vrl file'),
    keyPrefix: z.string().min(1).optional(),
    sourcetype: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional(),
  })
  .strict()
  .refine((m) => m.keyPrefix !== undefined || m.sourcetype !== undefined, {
    message: 'a mapping needs keyPrefix or sourcetype to say what it applies to',
  });
export type VrlMapping = z.infer<typeof vrlMappingSchema>;
export type VrlMappingInput = z.input<typeof vrlMappingSchema>;

export const vrlMappingsSchema = z.array(vrlMappingSchema);

/** Parses the VRL_MAPPINGS setting: a JSON array, or an array already parsed from a file. */
export function parseVrlMappings(raw: unknown): VrlMapping[] {
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  const parsed = vrlMappingsSchema.safeParse(value ?? []);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `VRL_MAPPINGS.${i.path.join('.')}: ${i.message}`,
    );
    throw new Error(`invalid VRL mappings:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
