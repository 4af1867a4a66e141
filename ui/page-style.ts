/** The UI's one stylesheet, inline (served under the page's CSP nonce): nothing is fetched. */
export const pageStyle = `
:root { font-family: system-ui, sans-serif; color: #1d2430; background: #f5f6f8; }
body { margin: 0; }
header.bar { background: #1d2a3a; color: #fff; padding: 10px 24px; display: flex; gap: 16px;
  align-items: center; }
header.bar a { color: #fff; text-decoration: none; font-weight: 600; }
header.bar form { margin-left: auto; }
main { padding: 16px 24px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid #dde1e7; padding: 6px 8px; text-align: left; font-size: 14px;
  vertical-align: top; }
th { background: #eef1f5; }
tr.hidden-event { color: #8a93a0; font-style: italic; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
.facts dt { font-weight: 600; }
.banner { padding: 8px 12px; border-radius: 6px; margin: 8px 0; background: #e3f4e6; }
.banner.bad { background: #fbe3e3; }
.stages { display: flex; gap: 12px; overflow-x: auto; }
.stage { background: #fff; border: 1px solid #dde1e7; border-radius: 8px; padding: 8px;
  min-width: 220px; }
.stage h3 { margin: 0 0 6px; font-size: 15px; }
.stage ol { margin: 0; padding-left: 18px; font-size: 13px; }
svg.flow { background: #fff; border: 1px solid #dde1e7; border-radius: 8px; max-width: 100%; }
svg .node { fill: #e8eef8; stroke: #5577aa; stroke-width: 1.5; }
svg .node.current { fill: #ffe9b3; stroke: #c08a00; stroke-width: 2.5; }
svg .node-title { font-weight: 700; font-size: 14px; }
svg .node-size, svg .edge-score { font-size: 12px; fill: #444; }
svg .edge { fill: none; stroke: #5577aa; stroke-width: 2; }
.toolbar { display: flex; gap: 8px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
dialog { border: 1px solid #99a; border-radius: 8px; min-width: 420px; }
dialog label { display: block; margin: 4px 0; }
.weights { display: grid; grid-template-columns: max-content 90px; gap: 4px 8px; }
#feedback-status.bad { color: #a01010; }
.login { max-width: 360px; margin: 80px auto; background: #fff; padding: 24px;
  border-radius: 8px; border: 1px solid #dde1e7; }
`;
