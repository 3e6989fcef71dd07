// The alerts banner: the gateway's firing alerts (alerts.list), shown above every tab and
// polled while signed in. Values go through textContent only.
'use strict';

const ALERTS_INTERVAL_MS = 5000;
let alertsTimer = null;

async function refreshAlerts() {
  try {
    const { alerts } = await api('GET', '/alerts?phase=firing');
    const banner = $('alerts');
    banner.replaceChildren(
      el('h2', {}, alerts.length === 1 ? '1 alert firing' : `${alerts.length} alerts firing`),
      el('ul', {}, ...alerts.map((a) => el('li', { class: `alert-${a.severity}`, 'data-alert': a.id },
        el('strong', {}, a.severity === 'critical' ? 'Critical: ' : 'Warning: '), a.summary,
        el('small', { class: 'hint' }, ` (since ${when(a.since)})`)))));
    banner.hidden = alerts.length === 0;
  } catch (error) { notify(error.message); }
}

function watchAlerts(on) {
  clearInterval(alertsTimer);
  alertsTimer = null;
  $('alerts').hidden = true;
  if (!on) return;
  refreshAlerts();
  alertsTimer = setInterval(refreshAlerts, ALERTS_INTERVAL_MS);
}
