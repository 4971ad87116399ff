import type { KpiSummary } from '@vfx/domain';
import styles from './kpis.module.css';

const number = new Intl.NumberFormat('en-GB');

/** "64.5%": one decimal place, the precision an audit report uses. */
export function formatPercent(percent: number | undefined): string {
  return percent === undefined ? 'no eligible episodes' : `${percent.toFixed(1)}%`;
}

/** "64.5% (40,954 of 63,533)". */
export function describeSummary(summary: KpiSummary): string {
  return summary.percentMet === undefined
    ? 'no eligible episodes'
    : `${formatPercent(summary.percentMet)} (${number.format(summary.met)} of ${number.format(summary.eligible)})`;
}

const WIDTH = 760;
const BAR = 460;
const ROW = 52;
const TOP = 28;

/**
 * Horizontal bars, one per measure, each labelled with its name and its percentage and counts
 * in text, so nothing depends on colour. The table beside it carries the same figures for screen
 * readers; the image's label summarises them.
 */
export function KpiChart({ summaries }: { summaries: readonly KpiSummary[] }) {
  const height = TOP + summaries.length * ROW + 8;
  const label = `Percentage of eligible episodes meeting each measure: ${summaries
    .map((s) => `${s.definition.title}, ${describeSummary(s)}`)
    .join('; ')}.`;
  return (
    <svg
      className={styles.chart}
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="xMinYMin meet"
    >
      {[0, 25, 50, 75, 100].map((tick) => {
        const x = (BAR * tick) / 100;
        return (
          <g key={tick}>
            <line className={styles.grid} x1={x + 1} x2={x + 1} y1={TOP - 6} y2={height - 8} />
            <text
              className={styles.tick}
              x={x + 1}
              y={TOP - 12}
              textAnchor={tick === 0 ? 'start' : tick === 100 ? 'end' : 'middle'}
            >
              {tick}%
            </text>
          </g>
        );
      })}
      {summaries.map((summary, index) => {
        const y = TOP + index * ROW;
        const width = summary.percentMet === undefined ? 0 : (BAR * summary.percentMet) / 100;
        return (
          <g key={summary.definition.id}>
            <text className={styles.label} x={1} y={y + 14}>
              {summary.definition.title}
            </text>
            <rect className={styles.track} x={1} y={y + 22} width={BAR} height={18} rx={2} />
            {width > 0 ? (
              <rect className={styles.bar} x={1} y={y + 22} width={width} height={18} rx={2} />
            ) : null}
            <text className={styles.value} x={BAR + 12} y={y + 36}>
              {describeSummary(summary)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
