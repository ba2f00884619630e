import type { ViewOutput } from '@slack/bolt';

/** A text input's value (plain or URL input), '' when absent. */
export function inputValue(view: ViewOutput, block: string, action: string): string {
  const value = view.state.values[block]?.[action]?.value;
  return typeof value === 'string' ? value : '';
}

/** A select's or radio group's chosen value, undefined when none. */
export function selectedValue(view: ViewOutput, block: string, action: string): string | undefined {
  const option = view.state.values[block]?.[action]?.selected_option;
  return typeof option?.value === 'string' ? option.value : undefined;
}

export function parseJsonObject(raw: string | undefined): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
