// Delivery against goal and the pacing state of a campaign, from the report's served counts.

import { admin } from './api.js';
import { addDays, dayIn, parseInstant } from './format.js';

/** Pacing is "on track" while served is within this fraction of the expected count. */
export const PACING_TOLERANCE = 0.10;

export const statusOf = (campaign) => String(campaign.status ?? 'active').toLowerCase();

/**
 * Delivery of one campaign at now (epoch ms): served against goal and its pacing state.
 * state: on-track | behind | ahead (a goal and an end: served vs goal × elapsed / flight, ±10 %),
 * complete (goal reached), scheduled (flight not started), ended (flight over), none (no goal or
 * no end, so there is no even line to compare with).
 */
export function deliveryOf(campaign, served, now, zone) {
  const goal = Number(campaign.goal?.impressions) || null;
  const start = parseInstant(campaign.start, zone);
  const end = campaign.end ? parseInstant(campaign.end, zone) : null;
  const progress = goal ? served / goal : null;
  let state = 'none';
  let expected = null;
  if (start != null && now < start) {
    state = 'scheduled';
  } else if (goal && served >= goal) {
    state = 'complete';
  } else if (end != null && now >= end) {
    state = 'ended';
  } else if (goal && end != null && end > start) {
    expected = (goal * (now - start)) / (end - start);
    const tolerance = Math.max(expected * PACING_TOLERANCE, 1);
    if (served < expected - tolerance) state = 'behind';
    else if (served > expected + tolerance) state = 'ahead';
    else state = 'on-track';
  }
  return { goal, served, progress, expected, state, start, end };
}

export const PACING_LABELS = {
  'on-track': ['on track', 'ok'],
  behind: ['behind', 'warn'],
  ahead: ['ahead', 'info'],
  complete: ['goal reached', 'ok'],
  scheduled: ['not started', 'neutral'],
  ended: ['ended', 'neutral'],
  none: ['no goal', 'neutral'],
};

/**
 * The rules and their delivery: served, impressions and clicks of each campaign over all of
 * its flights (report from the earliest start to today) and of today.
 */
export async function loadDelivery() {
  const [{ data, version }, today] = await Promise.all([admin.rules(), admin.report({ by: 'campaign' })]);
  const zone = today.timeZone;
  const todayDay = today.to;
  let from = todayDay;
  for (const c of data.campaigns) {
    const start = parseInstant(c.start, zone);
    if (start != null && !Number.isNaN(start)) {
      const day = dayIn(start, zone);
      if (day < from) from = day;
    }
  }
  const oldest = addDays(todayDay, -3660);
  if (from < oldest) from = oldest;
  const lifetime = from === todayDay ? today : await admin.report({ from, to: todayDay, by: 'campaign' });
  const byId = (report) => new Map(report.rows.map((r) => [r.campaign, r]));
  return {
    campaigns: data.campaigns, version, zone, today: todayDay, from,
    lifetime: byId(lifetime), todays: byId(today),
  };
}
