/// The HTML report's style sheet: a system font stack, one restrained color per status in
/// light and in dark, and a print style (white paper, no cut rows, a page per section).
enum HTMLStyle {
    static let sheet = """
    :root {
      --text: #1b1f24; --muted: #59616b; --rule: #d5d9de; --paper: #ffffff; --band: #f4f5f7; --link: #1f4f8f;
      --not-started: #9aa0a6; --in-progress: #3b6fb6; --partial: #c9951c;
      --implemented: #2e7d4f; --stalled: #c2571a; --reversed: #a4262c;
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --text: #e6e8eb; --muted: #a3abb5; --rule: #3a4048; --paper: #16191d; --band: #1f2328; --link: #8ab4f0;
        --not-started: #7d848c; --in-progress: #6c9bd8; --partial: #dcb045;
        --implemented: #5cb57f; --stalled: #e07b45; --reversed: #e0626a;
      }
    }
    .s-not-started { --c: var(--not-started); } .s-in-progress { --c: var(--in-progress); } .s-partial { --c: var(--partial); }
    .s-implemented { --c: var(--implemented); } .s-stalled { --c: var(--stalled); } .s-reversed { --c: var(--reversed); }
    * { box-sizing: border-box; }
    html { background: var(--paper); color: var(--text); }
    body {
      margin: 0 auto; max-width: 72rem; padding: 2.5rem 2rem 3rem;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
      font-variant-numeric: tabular-nums;
    }
    header { border-bottom: 3px solid var(--text); padding-bottom: 1.25rem; margin-bottom: 2rem; }
    .kicker { margin: 0; text-transform: uppercase; letter-spacing: .12em; font-size: .8rem; font-weight: 600; color: var(--muted); }
    h1 { font-size: 2rem; line-height: 1.2; margin: .3rem 0 1.25rem; font-weight: 700; }
    h2 { font-size: 1.35rem; margin: 0 0 .25rem; padding-top: .5rem; border-top: 1px solid var(--rule); }
    h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
    section { margin: 0 0 2.5rem; }
    .lead { margin: 0 0 1rem; color: var(--muted); }
    .muted { color: var(--muted); }
    .provenance { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .75rem 2rem; margin: 0; }
    .provenance dt { font-size: .75rem; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }
    .provenance dd { margin: 0; font-weight: 500; }
    figure { margin: 0 0 1.25rem; }
    figcaption { font-size: .85rem; color: var(--muted); margin-top: .35rem; }
    svg { display: block; width: 100%; }
    svg.bar { height: 2.5rem; }
    td.chart svg.bar { height: 1.1rem; min-width: 12rem; }
    svg rect { fill: var(--c); stroke: var(--paper); stroke-width: 1px; vector-effect: non-scaling-stroke; }
    svg rect.empty { fill: var(--band); }
    svg .axis { stroke: var(--muted); } svg .grid { stroke: var(--rule); stroke-dasharray: 4 4; }
    svg .tick { fill: var(--muted); font-size: 13px; }
    .legend { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: 0; margin: .75rem 0 0; }
    .figure { font-weight: 600; }
    .badge {
      display: inline-block; padding: 0 .45em; border: 1px solid var(--c); border-left-width: .6em; border-radius: 3px;
      font-size: .8rem; font-weight: 600; white-space: nowrap; line-height: 1.5;
    }
    table { width: 100%; border-collapse: collapse; margin: 0 0 1rem; }
    caption { text-align: left; font-weight: 600; padding: 0 0 .4rem; }
    th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--rule); }
    thead th { font-size: .78rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); border-bottom: 2px solid var(--text); }
    tbody th { font-weight: 600; min-width: 11rem; overflow-wrap: anywhere; }
    header + section h2 { border-top: 0; }
    tbody tr:nth-child(even) { background: var(--band); }
    .num { text-align: right; } .date { white-space: nowrap; }
    td.chart { width: 30%; vertical-align: middle; }
    code { font: .85em ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; overflow-wrap: anywhere; }
    a { color: var(--link); overflow-wrap: anywhere; }
    .sources li { margin-bottom: .4rem; }
    .none { font-style: italic; color: var(--muted); }
    footer { border-top: 1px solid var(--rule); padding-top: .75rem; font-size: .85rem; color: var(--muted); }
    @media print {
      :root {
        --text: #000000; --muted: #444444; --rule: #bbbbbb; --paper: #ffffff; --band: #f2f2f2; --link: #000000;
        --not-started: #9aa0a6; --in-progress: #3b6fb6; --partial: #c9951c;
        --implemented: #2e7d4f; --stalled: #c2571a; --reversed: #a4262c;
      }
      @page { margin: 18mm 16mm; }
      html, body { background: #ffffff; color: #000000; }
      body { max-width: none; padding: 0; font-size: 10.5pt; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      section + section { break-before: page; }
      h2, h3, caption, figure { break-after: avoid; break-inside: avoid; }
      tr, li { break-inside: avoid; }
      thead { display: table-header-group; }
      td a::after { content: " <" attr(href) ">"; font-size: .85em; }
    }

    """
}
