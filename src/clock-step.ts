/**
 * How far the wall clock may move apart from the time that really went by before Greenlight takes it as stepped (NTP
 * setting it right, a suspended machine waking) rather than as timers running a little late. The deadline scanner and
 * the delivery worker each start their timing over on such a step.
 */
export const CLOCK_STEP_MS = 2000;
