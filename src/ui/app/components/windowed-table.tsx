import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

const ROW_HEIGHT = 40;
const OVERSCAN = 10;

interface Props<T> {
  label: string;
  columns: string[];
  rows: T[];
  /** How many rows there are in all when known (more may be loading). */
  total?: number | undefined;
  rowKey: (row: T) => string;
  renderCells: (row: T) => ComponentChildren[];
  /** Called when the user scrolls near the last loaded row. */
  onNearEnd?: () => void;
}

/**
 * A table that renders only the rows in view (and a few around them), so that a list of 100,000
 * contacts costs the same to scroll as a list of 50. Rows have a fixed height; ARIA row indexes
 * tell assistive technology where each rendered row sits in the whole.
 */
export function WindowedTable<T>(props: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  useEffect(() => {
    const element = scroller.current!;
    const measure = () => setViewport(element.clientHeight || 600);
    measure();
    addEventListener('resize', measure);
    return () => removeEventListener('resize', measure);
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(props.rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (last >= props.rows.length - OVERSCAN) props.onNearEnd?.();
  }, [last, props.rows.length]);
  const template = { gridTemplateColumns: `repeat(${props.columns.length}, minmax(0, 1fr))` };
  return (
    <div class="wtable" role="table" aria-label={props.label} aria-rowcount={(props.total ?? props.rows.length) + 1}>
      <div role="rowgroup">
        <div role="row" class="wtable-row wtable-head" aria-rowindex={1} style={template}>
          {props.columns.map((c) => <span role="columnheader" key={c}>{c}</span>)}
        </div>
      </div>
      <div ref={scroller} class="wtable-body" role="rowgroup" tabIndex={0} aria-label={`${props.label} rows`} onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}>
        <div class="wtable-spacer" style={{ height: `${props.rows.length * ROW_HEIGHT}px` }}>
          {props.rows.slice(first, last).map((row, i) => (
            <div role="row" class="wtable-row" key={props.rowKey(row)} aria-rowindex={first + i + 2} style={{ ...template, top: `${(first + i) * ROW_HEIGHT}px` }}>
              {props.renderCells(row).map((cell, j) => <span role="cell" key={j}>{cell}</span>)}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
