import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that let operators find runs in the Web UI
 * (e.g. `InputKey = "input/day1.json"`). The embedded server registers them at start; on another
 * cluster register them once with `temporal operator search-attribute create`.
 */
export const InputKeyAttribute = defineSearchAttributeKey('InputKey', SearchAttributeType.KEYWORD);
export const RunNameAttribute = defineSearchAttributeKey('RunName', SearchAttributeType.KEYWORD);
export const PipelineStageAttribute = defineSearchAttributeKey(
  'PipelineStage',
  SearchAttributeType.KEYWORD,
);
export const AlertCountAttribute = defineSearchAttributeKey('AlertCount', SearchAttributeType.INT);

export const customSearchAttributes: Record<string, 'Keyword' | 'Int'> = {
  InputKey: 'Keyword',
  RunName: 'Keyword',
  PipelineStage: 'Keyword',
  AlertCount: 'Int',
};
