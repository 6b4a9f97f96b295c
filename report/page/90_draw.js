// report.html's script, last part: draws the page for the folder's kind.
ROOT.textContent = '';
try {
  if (DATA.kind === 'sweep') renderSweep();
  else if (DATA.kind === 'comparison') renderComparison();
  else renderRun(DATA.kind);
} catch (e) {
  console.error('report: ' + (e && e.stack ? e.stack : e));
  ROOT.append(el('p', { class: 'chart failed' }, 'The report could not be drawn: ' + e.message));
}
state.ready = Promise.all(state.pending).then(() => state.charts);
