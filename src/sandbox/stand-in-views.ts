import { checkView } from './stand-in-blocks';
import type { MethodHandler } from './stand-in-chat';
import { str } from './stand-in-params';
import type { StandInState, ViewRecord } from './stand-in-state';
import type { MethodResult, Params } from './stand-in-types';
import { fail, isRecord, ok } from './stand-in-types';

/** Reads and checks `view`; Slack answers invalid_arguments with the reasons in response_metadata. */
function readView(params: Params, kinds: readonly string[]): Record<string, unknown> | MethodResult {
  const view = params.view;
  const errors = checkView(view, kinds);
  if (errors.length > 0 || !isRecord(view)) {
    return fail('invalid_arguments', { response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
  }
  return view;
}

const isView = (value: Record<string, unknown> | MethodResult): value is Record<string, unknown> =>
  !('status' in value && 'body' in value);

/** A view as Slack answers it: what was sent plus the fields Slack adds. */
function viewJson(state: StandInState, record: ViewRecord, rootId: string): Record<string, unknown> {
  const view = record.view;
  return {
    ...view,
    id: record.id,
    team_id: state.config.teamId,
    hash: record.hash,
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    external_id: view.external_id ?? '',
    state: { values: {} },
    root_view_id: rootId,
    previous_view_id: null,
    app_id: 'A0GREENLIGHT',
    bot_id: state.config.botId,
  };
}

function useTrigger(params: Params, state: StandInState): string | MethodResult {
  const triggerId = str(params, 'trigger_id');
  if (triggerId === undefined) {
    return fail('invalid_trigger_id');
  }
  // A trigger opens one view; a second use is a bug (e.g. opening two modals from one click).
  if (state.usedTriggers.has(triggerId)) {
    return fail('exchanged_trigger_id');
  }
  return triggerId;
}

function openWithTrigger(params: Params, state: StandInState): MethodResult {
  const triggerId = useTrigger(params, state);
  if (typeof triggerId !== 'string') {
    return triggerId;
  }
  const view = readView(params, ['modal']);
  if (!isView(view)) {
    return view;
  }
  state.usedTriggers.add(triggerId);
  const record: ViewRecord = { ...state.nextViewId(), view, triggerId };
  state.views.set(record.id, record);
  return ok({ view: viewJson(state, record, record.id) });
}

const update: MethodHandler = (params, state) => {
  const viewId = str(params, 'view_id');
  const externalId = str(params, 'external_id');
  if (viewId === undefined && externalId === undefined) {
    return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view_id or external_id is required'] } });
  }
  const record =
    viewId !== undefined
      ? (state.views.get(viewId) ?? [...state.homeViews.values()].find((r) => r.id === viewId))
      : [...state.views.values()].find((r) => r.view.external_id === externalId);
  if (record === undefined) {
    return fail('not_found');
  }
  const hash = str(params, 'hash');
  if (hash !== undefined && hash !== record.hash) {
    return fail('hash_conflict');
  }
  const view = readView(params, record.userId === undefined ? ['modal'] : ['home']);
  if (!isView(view)) {
    return view;
  }
  record.view = view;
  record.hash = state.nextViewId().hash;
  return ok({ view: viewJson(state, record, record.id) });
};

const publish: MethodHandler = (params, state) => {
  const userId = str(params, 'user_id');
  if (userId === undefined) {
    return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: user_id'] } });
  }
  const view = readView(params, ['home']);
  if (!isView(view)) {
    return view;
  }
  const previous = state.homeViews.get(userId);
  const hash = str(params, 'hash');
  if (previous !== undefined && hash !== undefined && hash !== previous.hash) {
    return fail('hash_conflict');
  }
  const next = state.nextViewId();
  const record: ViewRecord = { id: previous?.id ?? next.id, hash: next.hash, view, userId };
  state.homeViews.set(userId, record);
  return ok({ view: viewJson(state, record, record.id) });
};

export const viewMethods: Record<string, MethodHandler> = {
  'views.open': (params, state) => openWithTrigger(params, state),
  'views.push': (params, state) => openWithTrigger(params, state),
  'views.update': update,
  'views.publish': publish,
};
