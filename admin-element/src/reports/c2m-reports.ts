import { LitElement, html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import type { ReportsDimensions } from '../../../backend/contract/admin-reports.js';
import { isChannelName } from '../../../backend/contract/channel-names.js';
import type { AnalyticsFilters, AnalyticsRow } from '../../../backend/contract/reporting.js';
import { AdminApiError } from '../api/admin-client.js';
import { locale } from '../locale.js';
import { SessionController } from '../shared/session.js';
import {
  channelLabel,
  includesToday,
  rolledOver,
  lastDays,
  MAX_DAYS,
  windowOf,
  type DateRange,
} from './report-model.js';
import {
  channelSection,
  failureSection,
  funnelSection,
  trendSection,
  type SectionView,
} from './report-sections.js';
import { selectField } from '../shared/list-parts.js';
import { ReportsLiveController } from './reports-live.js';
import styles from './c2m-reports.styles.js';

/** The filters the dashboard offers, one value each; '' is "all". */
interface Filters {
  channel: string;
  skill: string;
  handoff: string;
  ivrnumber: string;
}
const NO_FILTERS: Filters = { channel: '', skill: '', handoff: '', ivrnumber: '' };
const PRESETS = [7, 30, MAX_DAYS] as const;
/** A time of day in the shown language. */
const formatTime = (d: Date | number) => locale.date(d, { timeStyle: 'medium' });

/** The contract's filters for the chosen values (an empty choice filters nothing). */
function filtersOf(f: Filters): AnalyticsFilters {
  return {
    ...(isChannelName(f.channel) && { channels: [f.channel] }),
    ...(f.skill && { skills: [f.skill] }),
    ...(f.handoff && { handoffids: [f.handoff] }),
    ...(f.ivrnumber && { ivrnumbers: [f.ivrnumber] }),
  };
}

/**
 * The account's reporting dashboard: the deflection funnel (attempted → sent → delivered → read
 * → replied, with skipped and failed beside it), attempts per day, the funnel per channel and
 * the top failure reasons, for a range of at most 60 days of the account's time zone (its
 * settings' zone, named in the dates' legend), filtered by channel, skill, handoff
 * and IVR number. While the range reaches today it follows the account's counts live (over the
 * client's report feed) and re-reads them when they move; Refresh does the same by hand. Every
 * chart is an SVG figure named by a one-sentence summary, with a table of the same numbers.
 *
 * @summary Reporting dashboard: funnel, trend, channels and failure reasons, live.
 *
 * @csspart filters - The date range, filters and refresh bar.
 * @csspart preset - Each quick-range button (last 7, 30, 60 days).
 * @csspart refresh - The Refresh button.
 * @csspart live-state - The text saying whether the counts follow live.
 * @csspart state - The loading, empty or error text.
 * @csspart chart - Each chart's card.
 * @csspart figure - Each chart's drawing.
 * @csspart bar - Each bar of a bar chart.
 * @csspart bar-track - The SVG a bar is drawn in.
 * @csspart trend-plot - The SVG of the per-day chart.
 * @csspart table-toggle - Each chart's "Show as table" button.
 * @csspart table - Each chart's table.
 *
 * @cssprop [--c2m-chart-color-1=#0b5cad] - Attempts, and the funnel's bars.
 * @cssprop [--c2m-chart-color-2=#4f8a3c] - Sent.
 * @cssprop [--c2m-chart-color-3=#b05f00] - Replied.
 * @cssprop [--c2m-chart-track=#e6e9ee] - The empty part of a bar.
 */
@localized()
export class C2mReports extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  /**
   * The zone whose days the dashboard shows: the account's, as the first answer names it (asked
   * without a zone, the server counts in the account's); UTC until then.
   */
  @state() private zone = 'UTC';
  private zoneKnown = false;
  @state() private range: DateRange = lastDays(7);
  /** The UTC day the range was chosen on: one that ended then follows the days that come. */
  private chosenOn = lastDays(1).to;
  @state() private filters: Filters = NO_FILTERS;
  /** Bumped to read the counts again (a live change, or Refresh). */
  @state() private revision = 0;
  @state() private tablesShown = new Set<string>();
  @state() private updatedAt?: Date;
  @state() private announcement = '';

  private readonly live = new ReportsLiveController(
    this,
    () => this.session.client,
    () => {
      // a range that ended today when it was chosen moves with the day (open over midnight)
      const rolled = rolledOver(this.range, this.chosenOn, Date.now(), this.zone);
      if (rolled !== this.range) this.setRange(rolled);
      // a range in the past cannot change; only one that reaches today is read again
      if (includesToday(this.range, Date.now(), this.zone)) this.revision++;
    },
  );

  private readonly analytics = new Task(this, {
    task: async (
      [client, range, filters, , zone],
      { signal },
    ): Promise<AnalyticsRow[] | undefined> => {
      const window = windowOf(range, zone);
      if (!client?.reportAnalytics || 'error' in window) return undefined;
      const timezone = this.zoneKnown ? { timezone: zone } : {};
      const answer = await client.reportAnalytics(
        { ...window, ...timezone, ...filtersOf(filters) },
        signal,
      );
      const named = answer.requestMetadata.timezone;
      if (!this.zoneKnown && named) {
        this.zoneKnown = true;
        if (named !== zone) {
          // the account counts in another zone: the range's days are read again in it
          this.zone = named;
          this.setRange(lastDays(7, Date.now(), named));
          return undefined;
        }
      }
      this.updatedAt = new Date();
      return answer.analytics;
    },
    args: () => [this.session.client, this.range, this.filters, this.revision, this.zone] as const,
  });

  private readonly dimensions = new Task(this, {
    task: async ([client, range, , zone], { signal }): Promise<ReportsDimensions | undefined> => {
      const window = windowOf(range, zone);
      if (!client?.reportDimensions || 'error' in window) return undefined;
      return client.reportDimensions(window, signal);
    },
    args: () => [this.session.client, this.range, this.revision, this.zone] as const,
  });

  private setRange(range: DateRange) {
    this.range = range;
    this.chosenOn = lastDays(1, Date.now(), this.zone).to;
  }

  private setFilter(key: keyof Filters, value: string) {
    this.filters = { ...this.filters, [key]: value };
  }

  private refresh() {
    this.revision++;
    void this.analytics.taskComplete.then(
      () => {
        const time = formatTime(new Date());
        this.announcement = msg(str`Reports updated at ${time}`);
      },
      () => undefined,
    );
  }

  private toggleTable(id: string) {
    const shown = new Set(this.tablesShown);
    if (!shown.delete(id)) shown.add(id);
    this.tablesShown = shown;
  }

  private renderRange(error: string | undefined) {
    const preset = PRESETS.find((n) => {
      const r = lastDays(n, Date.now(), this.zone);
      return r.from === this.range.from && r.to === this.range.to;
    });
    const day = (end: 'from' | 'to', label: string) =>
      html`<div class="field">
        <label for=${end}>${label}</label>
        <input
          id=${end}
          type="date"
          .value=${this.range[end]}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? 'range-error' : nothing}
          @change=${(e: Event) =>
            this.setRange({ ...this.range, [end]: (e.target as HTMLInputElement).value })}
        />
      </div>`;
    return html`<fieldset class="range">
      <legend>${msg(str`Dates (days in ${this.zone}, at most ${MAX_DAYS})`)}</legend>
      ${day('from', msg('From'))} ${day('to', msg('To'))}
      <div class="presets" role="group" aria-label=${msg('Quick ranges')}>
        ${PRESETS.map(
          (n) =>
            html`<button
              type="button"
              part="preset"
              aria-pressed=${String(preset === n)}
              @click=${() => this.setRange(lastDays(n, Date.now(), this.zone))}
            >
              ${msg(str`Last ${n} days`)}
            </button>`,
        )}
      </div>
      ${error ? html`<p id="range-error" class="error" role="alert">${error}</p>` : nothing}
    </fieldset>`;
  }

  private renderSelect(
    key: keyof Filters,
    label: string,
    all: string,
    options: { value: string; label: string }[],
  ) {
    const current = this.filters[key];
    // the chosen value stays offered even when the new range has no attempts for it
    const offered =
      current && !options.some((o) => o.value === current)
        ? [...options, { value: current, label: current }]
        : options;
    return selectField({
      id: `filter-${key}`,
      label,
      all,
      options: offered,
      value: current,
      onChange: (value) => this.setFilter(key, value),
    });
  }

  private renderFilters(error: string | undefined) {
    const d = this.dimensions.value;
    const channels = (d?.channels ?? [])
      .filter((c) => isChannelName(c))
      .map((c) => ({ value: c, label: channelLabel(c) }));
    const plain = (values: string[] = []) => values.map((v) => ({ value: v, label: v }));
    const handoffs = (d?.handoffs ?? []).map((h) => ({
      value: h.id,
      label: h.title ? `${h.title} (${h.id})` : msg(str`${h.id} (deleted)`),
    }));
    const liveText =
      this.live.state === 'live'
        ? msg('Live: updates as calls come in')
        : msg('Not live: use Refresh');
    return html`<form part="filters" class="filters" @submit=${(e: Event) => e.preventDefault()}>
      ${this.renderRange(error)}
      <div class="selects">
        ${this.renderSelect('channel', msg('Channel'), msg('All channels'), channels)}
        ${this.renderSelect('skill', msg('Skill'), msg('All skills'), plain(d?.skills))}
        ${this.renderSelect('handoff', msg('Handoff'), msg('All handoffs'), handoffs)}
        ${this.renderSelect(
          'ivrnumber',
          msg('IVR number'),
          msg('All IVR numbers'),
          plain(d?.ivrNumbers),
        )}
      </div>
      <div class="refresh">
        <button type="button" part="refresh" @click=${() => this.refresh()}>
          ${msg('Refresh')}
        </button>
        <span part="live-state" class="hint" data-state=${this.live.state}>${liveText}</span>
        ${
          this.updatedAt
            ? html`<span class="hint">${msg(str`Updated ${formatTime(this.updatedAt)}`)}</span>`
            : nothing
        }
      </div>
    </form>`;
  }

  private renderBody(rangeError: string | undefined) {
    if (!this.session.client?.reportAnalytics) {
      return html`<p part="state" class="state">
        ${msg('This admin client does not offer reports.')}
      </p>`;
    }
    if (rangeError) return nothing;
    const rows = this.analytics.value;
    if (this.analytics.status === TaskStatus.ERROR) {
      const err = this.analytics.error;
      const message =
        err instanceof AdminApiError ? err.message : msg('The reports could not load.');
      return html`<p part="state" class="state state--error" role="alert">${message}</p>`;
    }
    // while a re-read is pending the last counts stay up, so a live update does not flicker
    if (!rows) return html`<p part="state" class="state">${msg('Loading reports…')}</p>`;
    const view: SectionView = {
      range: this.range,
      zone: this.zone,
      table: (id) => ({
        tableShown: this.tablesShown.has(id),
        onToggle: () => this.toggleTable(id),
      }),
    };
    return html`<div class="charts">
      ${funnelSection(rows, view)} ${trendSection(rows, view)} ${channelSection(rows, view)}
      ${failureSection(rows, view)}
    </div>`;
  }

  override render() {
    const window = windowOf(this.range, this.zone);
    const rangeError = 'error' in window ? window.error : undefined;
    const pending = this.analytics.status === TaskStatus.PENDING;
    return html`<section aria-labelledby="heading" aria-busy=${String(pending)}>
      <h2 id="heading" tabindex="-1">${msg('Reports')}</h2>
      ${this.renderFilters(rangeError)} ${this.renderBody(rangeError)}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </section>`;
  }
}

if (!customElements.get('c2m-reports')) customElements.define('c2m-reports', C2mReports);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-reports': C2mReports;
  }
}
