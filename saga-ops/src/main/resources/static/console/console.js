// The operator console of saga-engine: plain JavaScript over the operator API (/ops), no framework
// and nothing loaded from elsewhere. Every call carries the operator's credentials as HTTP Basic.
// Server data is only ever put on the page as text (textContent, text nodes, attribute values),
// never as HTML.
'use strict';

(() => {
  // ------------------------------------------------------------------ vocabulary
  // The names the API speaks; ConsoleVocabularyTest keeps these lists equal to the Java enums.
  const STATES = ['STARTED', 'AWAITING_PAYMENT', 'AWAITING_SHIPMENT', 'AWAITING_APPROVAL',
    'COMPLETED', 'COMPENSATING', 'COMPENSATED', 'COMPENSATION_FAILED', 'PARKED'];
  const STEPS = ['AUTHORIZE_PAYMENT', 'SCHEDULE_SHIPMENT', 'APPROVE_ORDER', 'CANCEL_SHIPMENT',
    'REFUND_PAYMENT', 'REJECT_ORDER', 'NOTIFY_CUSTOMER', 'MARK_REFUND_PENDING'];
  const REASONS = ['PAYMENT_DECLINED', 'SHIPMENT_FAILED', 'CANCELLED_BY_SHOPPER', 'TIMED_OUT',
    'OPERATOR_ABORTED'];
  const ACTIONS = ['retry', 'resume', 'compensate', 'park', 'unpark'];

  /** The forward steps resume can run again, and the command each sends. */
  const FORWARD_STEPS = {
    AUTHORIZE_PAYMENT: 'AuthorizePayment',
    SCHEDULE_SHIPMENT: 'ScheduleShipment',
    APPROVE_ORDER: 'ApproveOrder',
  };
  /**
   * Each step's command and the replies that answer it (success, failure), by wire type, as in
   * docs/events.md; ConsoleVocabularyTest checks the commands against the steps' records.
   */
  const STEP_MESSAGES = {
    AUTHORIZE_PAYMENT: { command: 'payment.AuthorizePayment', ok: ['payment.PaymentAuthorized'],
      failed: ['payment.PaymentDeclined'] },
    SCHEDULE_SHIPMENT: { command: 'shipping.ScheduleShipment', ok: ['shipping.ShipmentScheduled'],
      failed: ['shipping.ShipmentFailed'] },
    APPROVE_ORDER: { command: 'order.ApproveOrder', ok: ['order.OrderApproved'], failed: [] },
    CANCEL_SHIPMENT: { command: 'shipping.CancelShipment', ok: ['shipping.ShipmentCancelled'],
      failed: [] },
    REFUND_PAYMENT: { command: 'payment.RefundPayment', ok: ['payment.PaymentRefunded'],
      failed: ['payment.PaymentRefundFailed'] },
    REJECT_ORDER: { command: 'order.RejectOrder', ok: ['order.OrderRejected'], failed: [] },
    NOTIFY_CUSTOMER: { command: 'notification.NotifyCustomer', ok: ['notification.CustomerNotified'],
      failed: [] },
    MARK_REFUND_PENDING: { command: 'order.MarkRefundPending', ok: [], failed: [] },
  };
  const FILTER_KEYS = ['state', 'stuck', 'step', 'reason', 'customerId', 'email', 'olderThan',
    'newerThan'];
  const AUDIT_KEYS = ['who', 'action', 'orderId', 'from', 'to'];
  /** States in which a saga has nothing left to do (its page stops refreshing). */
  const FINAL = ['COMPLETED', 'COMPENSATED'];

  const ACTION_TEXT = {
    retry: ['Retry', 'Send the step in progress again now, with a fresh budget of attempts.'],
    resume: ['Resume', 'Run the forward step the saga stands at again, with corrected input.'],
    compensate: ['Compensate', 'Give up the order: undo what was done, in reverse order, and tell '
      + 'the customer (reason OPERATOR_ABORTED).'],
    park: ['Park', 'Quarantine: the saga notes what arrives but acts on nothing, and has no '
      + 'deadline.'],
    unpark: ['Unpark', 'Back to where the saga stood when parked; a reply held meanwhile is acted '
      + 'on.'],
  };
  const OUTCOME_TEXT = {
    VERIFIED: 'The saga took the action and its status moved.',
    UNVERIFIED: 'Recorded in the saga\'s journal, but not yet seen taken: check its status.',
    REFUSED: 'Refused: nothing was done.',
    NOT_FOUND: 'No such saga.',
  };
  const REFRESH_MILLIS = 3000;
  const STORAGE_KEY = 'ordersaga.console.credentials';

  // ------------------------------------------------------------------ language
  /**
   * The words of the header, the overview and a saga's drawn path, in English and Korean (the
   * other pages are in English). Each language has every key: a key missing from one is logged as
   * an error (ConsoleIT fails on it) and shown in English. API codes (states, steps in the
   * incidents, wire types, causes) are data and stay as they are.
   */
  const MESSAGES = {
    en: {
      'language.name': 'English',
      'nav.overview': 'Overview',
      'nav.sagas': 'Sagas',
      'nav.parked': 'Parked messages',
      'nav.audit': 'Audit log',
      'account.signedInAs': 'signed in as',
      'account.signOut': 'Sign out',
      'step.AUTHORIZE_PAYMENT': 'Authorize payment',
      'step.SCHEDULE_SHIPMENT': 'Schedule shipment',
      'step.APPROVE_ORDER': 'Approve order',
      'step.CANCEL_SHIPMENT': 'Cancel shipment',
      'step.REFUND_PAYMENT': 'Refund payment',
      'step.REJECT_ORDER': 'Reject order',
      'step.NOTIFY_CUSTOMER': 'Notify customer',
      'step.MARK_REFUND_PENDING': 'Mark refund pending',
      'mark.done': 'done',
      'mark.in-progress': 'in progress',
      'mark.failed': 'failed',
      'mark.undone': 'undone',
      'mark.skipped': 'not needed',
      'mark.not-reached': 'not reached',
      'mark.parked': ', parked',
      'mark.stuck': ', stuck',
      'action.retry': 'retry',
      'action.resume': 'resume',
      'action.compensate': 'compensate',
      'action.park': 'park',
      'action.unpark': 'unpark',
      'path.title': 'Path',
      'path.subtitle': 'each step and what became of it; click a step to see only its messages in '
        + 'the timeline',
      'path.label': 'The saga\'s steps and what became of each',
      'path.forward': 'forward',
      'path.undo': 'undo',
      'path.attempt': (attempt) => 'attempt ' + attempt,
      'path.due': (at) => ', due ' + at,
      'path.noDeadlineParked': ', no deadline while parked',
      'path.noAnswer': (n) => 'no answer, ' + plural(n, 'deadline', 'deadlines') + ' passed',
      'path.givenUp': 'given up',
      'path.noticeSent': 'notice sent',
      'path.undoneBy': (step) => 'undone by ' + step.toLowerCase(),
      'path.nothingToUndo': 'nothing to undo',
      'path.notices': (n) => plural(n, 'notice', 'notices'),
      'path.retries': (n) => plural(n, 'retry', 'retries'),
      'path.timeouts': (n) => plural(n, 'timeout', 'timeouts'),
      'path.operator': (actions) => 'operator: ' + actions,
      'path.operatorBy': (action, who, reason) => 'operator ' + action + ' by ' + who + ': ' + reason,
      'path.click': 'Click to show its messages in the timeline.',
      'path.refundPending': 'the order shows REFUND_PENDING',
      'path.delayNotice': 'refund-delay notice sent',
      'overview.title': 'Overview',
      'overview.subtitle': 'the last 24 hours',
      'overview.watch': 'refresh by itself',
      'overview.watchTitle': 'the incidents every 15 s, the charts every minute',
      'overview.refresh': 'Refresh',
      'overview.empty': 'All quiet: no saga started or ended in the last 24 hours, and nothing '
        + 'waits on an operator. Sagas show here within a minute of starting (or at once with '
        + 'Refresh).',
      'overview.asOf': (at) => 'as of ' + at,
      'overview.unreadable': (error) => 'Some of the overview could not be read: ' + error,
      'overview.incidents': 'Open incidents',
      'overview.incidentsSubtitle': 'what waits on an operator now',
      'overview.canary': 'Canary',
      'overview.canarySubtitle': 'new orders on a candidate saga version',
      'canary.candidate': 'Candidate',
      'canary.percent': 'Share (%)',
      'canary.reason': 'Reason',
      'canary.set': 'Set the split',
      'canary.changed': 'Split changed (recorded in the audit log).',
      'canary.split': (candidate, percent, state) =>
        candidate + ' gets ' + percent + '% of new orders: ' + state,
      'canary.off': 'off: every new order starts on the stable version',
      'canary.outcomes': (version, ended, failed) =>
        version + ': ' + ended + ' ended, ' + failed + ' failed',
      'overview.hourly': 'Sagas per hour',
      'overview.reasons': 'Failure reasons',
      'overview.reasonsSubtitle': 'why sagas were undone',
      'overview.latency': 'Step latency',
      'overview.latencySubtitle': 'from a step\'s first command to its reply',
      'series.started': 'started',
      'series.completed': 'completed',
      'series.compensated': 'compensated',
      'series.compensationFailed': 'compensation failed',
      'tile.incidents': 'open incidents',
      'incident.compensationFailed': 'Compensation failed',
      'incident.stuck': 'Stuck',
      'incident.parked': 'Parked messages',
      'incident.openList': 'open the list',
      'incident.unreadable': 'could not be read',
      'incident.none': 'none',
      'incident.at': (step) => ' at ' + step + ': ',
      'incident.noCause': 'no cause recorded',
      'incident.stuckSince': ' · stuck since ',
      'incident.deadlineWas': ' · deadline was ',
      'incident.messages': (n) => n + (n === 1 ? ' message' : ' messages'),
      'ago.s': (n) => n + ' s ago',
      'ago.min': (n) => n + ' min ago',
      'ago.h': (n) => n + ' h ago',
      'ago.d': (n) => n + ' d ago',
      'hourly.none': 'No saga started or ended in the last 24 hours.',
      'hourly.bar': (when, count, name) => when + ': ' + count + ' ' + name,
      'hourly.label': 'Sagas started and ended per hour, the last 24 hours',
      'hourly.note': ' · left bar: started that hour; right: ended that hour, by how (each saga '
        + 'counted once, by where it stands now); hours in UTC',
      'reasons.none': 'No saga was undone in the last 24 hours',
      'reasons.allCompleted': (n) => ' (' + plural(n, 'saga', 'sagas') + ' ended, all completed).',
      'reasons.share': (share) => '(' + share + '% of failures)',
      'reasons.label': 'Failure reasons',
      'reasons.rate': (failed, finished, rate) => plural(failed, 'saga', 'sagas') + ' undone of '
        + finished + ' ended: ' + rate + '% failure rate.',
      'reason.name': (reason) => reason,
      'latency.none': 'No step ran in the last 24 hours.',
      // the API's codes in English, as the rest of the English console names steps
      'latency.step': (step) => step,
      'latency.runs': (n) => plural(n, 'run', 'runs'),
      'latency.retries': (n) => plural(n, 'retry', 'retries'),
      'latency.noReply': 'no reply by design',
      'latency.unanswered': (n) => n + ' unanswered',
      'latency.max': 'max',
      'latency.label': 'Step latency percentiles',
    },
    ko: {
      'language.name': '한국어',
      'nav.overview': '개요',
      'nav.sagas': '사가',
      'nav.parked': '보류된 메시지',
      'nav.audit': '감사 로그',
      'account.signedInAs': '로그인:',
      'account.signOut': '로그아웃',
      'step.AUTHORIZE_PAYMENT': '결제 승인',
      'step.SCHEDULE_SHIPMENT': '배송 예약',
      'step.APPROVE_ORDER': '주문 승인',
      'step.CANCEL_SHIPMENT': '배송 취소',
      'step.REFUND_PAYMENT': '결제 환불',
      'step.REJECT_ORDER': '주문 거절',
      'step.NOTIFY_CUSTOMER': '고객 알림',
      'step.MARK_REFUND_PENDING': '환불 대기 표시',
      'mark.done': '완료',
      'mark.in-progress': '진행 중',
      'mark.failed': '실패',
      'mark.undone': '되돌림',
      'mark.skipped': '필요 없음',
      'mark.not-reached': '도달 안 함',
      'mark.parked': ', 보류됨',
      'mark.stuck': ', 멈춤',
      'action.retry': '재시도',
      'action.resume': '재개',
      'action.compensate': '보상',
      'action.park': '보류',
      'action.unpark': '보류 해제',
      'path.title': '경로',
      'path.subtitle': '각 단계와 그 결과. 단계를 클릭하면 타임라인에 그 단계의 메시지만 보입니다',
      'path.label': '사가의 단계와 각 단계의 결과',
      'path.forward': '진행',
      'path.undo': '되돌리기',
      'path.attempt': (attempt) => attempt + '번째 시도',
      'path.due': (at) => ', 기한 ' + at,
      'path.noDeadlineParked': ', 보류 중이라 기한 없음',
      'path.noAnswer': (n) => '응답 없음, 기한 ' + n + '번 지남',
      'path.givenUp': '포기함',
      'path.noticeSent': '알림 보냄',
      'path.undoneBy': (step) => step + '(으)로 되돌림',
      'path.nothingToUndo': '되돌릴 것 없음',
      'path.notices': (n) => '알림 ' + n + '건',
      'path.retries': (n) => '재시도 ' + n + '회',
      'path.timeouts': (n) => '시간 초과 ' + n + '회',
      'path.operator': (actions) => '운영자: ' + actions,
      'path.operatorBy': (action, who, reason) => '운영자 ' + who + '의 ' + action + ': ' + reason,
      'path.click': '클릭하면 타임라인에 이 단계의 메시지만 보입니다.',
      'path.refundPending': '주문에 REFUND_PENDING 표시',
      'path.delayNotice': '환불 지연 알림 보냄',
      'overview.title': '개요',
      'overview.subtitle': '최근 24시간',
      'overview.watch': '자동 새로 고침',
      'overview.watchTitle': '인시던트는 15초마다, 차트는 1분마다',
      'overview.refresh': '새로 고침',
      'overview.empty': '조용합니다: 최근 24시간 동안 시작되거나 끝난 사가가 없고, 운영자를 기다리는 '
        + '일도 없습니다. 사가는 시작하고 1분 안에 (새로 고침을 누르면 바로) 여기에 나타납니다.',
      'overview.asOf': (at) => at + ' 기준',
      'overview.unreadable': (error) => '개요의 일부를 읽지 못했습니다: ' + error,
      'overview.incidents': '미해결 인시던트',
      'overview.incidentsSubtitle': '지금 운영자를 기다리는 일',
      'overview.canary': '카나리',
      'overview.canarySubtitle': '후보 사가 버전이 받는 새 주문',
      'canary.candidate': '후보',
      'canary.percent': '비율 (%)',
      'canary.reason': '사유',
      'canary.set': '비율 설정',
      'canary.changed': '비율을 바꿨습니다 (감사 로그에 기록됨).',
      'canary.split': (candidate, percent, state) =>
        candidate + ': 새 주문의 ' + percent + '% · ' + state,
      'canary.off': '꺼짐: 새 주문은 모두 안정 버전으로 시작합니다',
      'canary.outcomes': (version, ended, failed) =>
        version + ': 종료 ' + ended + '건, 실패 ' + failed + '건',
      'overview.hourly': '시간별 사가',
      'overview.reasons': '실패 사유',
      'overview.reasonsSubtitle': '사가가 되돌려진 이유',
      'overview.latency': '단계별 지연 시간',
      'overview.latencySubtitle': '단계의 첫 명령부터 응답까지',
      'series.started': '시작',
      'series.completed': '완료',
      'series.compensated': '보상 완료',
      'series.compensationFailed': '보상 실패',
      'tile.incidents': '미해결 인시던트',
      'incident.compensationFailed': '보상 실패',
      'incident.stuck': '멈춘 사가',
      'incident.parked': '보류된 메시지',
      'incident.openList': '목록 열기',
      'incident.unreadable': '읽지 못함',
      'incident.none': '없음',
      'incident.at': (step) => ' · 단계 ' + step + ': ',
      'incident.noCause': '기록된 원인 없음',
      'incident.stuckSince': ' · 멈춘 시각 ',
      'incident.deadlineWas': ' · 기한 ',
      'incident.messages': (n) => '메시지 ' + n + '건',
      'ago.s': (n) => n + '초 전',
      'ago.min': (n) => n + '분 전',
      'ago.h': (n) => n + '시간 전',
      'ago.d': (n) => n + '일 전',
      'hourly.none': '최근 24시간 동안 시작되거나 끝난 사가가 없습니다.',
      'hourly.bar': (when, count, name) => when + ': ' + name + ' ' + count + '건',
      'hourly.label': '최근 24시간, 시간별로 시작되고 끝난 사가',
      'hourly.note': ' · 왼쪽 막대: 그 시간에 시작, 오른쪽: 그 시간에 끝난 사가를 끝난 방식별로 '
        + '(사가마다 지금 상태로 한 번씩 셈); 시간은 UTC',
      'reasons.none': '최근 24시간 동안 되돌려진 사가가 없습니다',
      'reasons.allCompleted': (n) => ' (끝난 사가 ' + n + '건, 모두 완료).',
      'reasons.share': (share) => '(실패의 ' + share + '%)',
      'reasons.label': '실패 사유',
      'reasons.rate': (failed, finished, rate) => '끝난 사가 ' + finished + '건 중 ' + failed
        + '건 되돌림: 실패율 ' + rate + '%.',
      'reason.name': (reason) => ({
        PAYMENT_DECLINED: '결제 거절',
        SHIPMENT_FAILED: '배송 실패',
        CANCELLED_BY_SHOPPER: '구매자 취소',
        TIMED_OUT: '시간 초과',
        OPERATOR_ABORTED: '운영자 중단',
      })[reason] || reason,
      'latency.none': '최근 24시간 동안 실행된 단계가 없습니다.',
      'latency.step': (step) => MESSAGES.ko['step.' + step] || step,
      'latency.runs': (n) => '실행 ' + n + '회',
      'latency.retries': (n) => '재시도 ' + n + '회',
      'latency.noReply': '설계상 응답 없음',
      'latency.unanswered': (n) => '응답 없음 ' + n + '건',
      'latency.max': '최대',
      'latency.label': '단계별 지연 시간 백분위수',
    },
  };
  const LANGUAGES = Object.keys(MESSAGES);
  const LANGUAGE_KEY = 'ordersaga.console.language';

  /** The language chosen here before, else Korean for a browser set to Korean, else English. */
  function initialLanguage() {
    let stored = null;
    try {
      stored = localStorage.getItem(LANGUAGE_KEY);
    } catch (e) {
      stored = null;
    }
    if (LANGUAGES.includes(stored)) return stored;
    return String(navigator.language || '').toLowerCase().startsWith('ko') ? 'ko' : 'en';
  }

  let language = initialLanguage();

  /** The words for a key in the language chosen; a function's are made from the arguments. */
  function t(key, ...args) {
    let text = MESSAGES[language][key];
    if (text === undefined) {
      console.error('console: no ' + language + ' words for ' + key);
      text = MESSAGES.en[key];
    }
    return typeof text === 'function' ? text(...args) : text;
  }

  // ------------------------------------------------------------------ page helpers
  const $ = (id) => document.getElementById(id);

  /** An element with attributes and children; strings become text nodes, never markup. */
  function h(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';

  /** An SVG element, as h() makes HTML ones: attributes set one by one, strings as text. */
  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  function message(node, text, kind) {
    node.textContent = text || '';
    node.className = 'message' + (kind ? ' ' + kind : '');
    show(node, !!text);
  }

  /** A failed call's problem in `note`; a 401 or 403 is left to the sign-in the call brought up. */
  function showError(note, e) {
    if (e.status !== 401 && e.status !== 403) message(note, describe(e), 'error');
  }

  function clear(node) {
    node.replaceChildren();
  }

  const sagaLink = (orderId) =>
    h('a', { href: '#/sagas/' + encodeURIComponent(orderId), class: 'mono' }, orderId);

  const stateBadge = (state) =>
    state ? h('span', { class: 'state state-' + String(state).toLowerCase() }, state) : '';

  /** An instant as UTC to the second, its full value in the tooltip. */
  function time(instant) {
    if (!instant) return '';
    const at = new Date(instant);
    if (Number.isNaN(at.getTime())) return String(instant);
    const text = at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    return h('time', { datetime: instant, title: instant }, text);
  }

  /** How long ago, roughly: 42 s, 5 min, 3 h, 2 d; in the language chosen when localized. */
  function age(instant, localized = false) {
    if (!instant) return '';
    const seconds = Math.max(0, Math.round((Date.now() - new Date(instant).getTime()) / 1000));
    const [n, unit] = seconds < 60 ? [seconds, 's']
      : seconds < 3600 ? [Math.floor(seconds / 60), 'min']
        : seconds < 86400 ? [Math.floor(seconds / 3600), 'h']
          : [Math.floor(seconds / 86400), 'd'];
    return h('span', { title: instant }, localized ? t('ago.' + unit, n) : n + ' ' + unit + ' ago');
  }

  const json = (value) => JSON.stringify(value, null, 2);

  const sagas = (n) => n + (n === 1 ? ' saga' : ' sagas');

  /** A collapsed JSON value. */
  const jsonDetails = (label, value) =>
    value === null || value === undefined ? ''
      : h('details', {}, h('summary', {}, label), h('pre', { class: 'mono' }, json(value)));

  // ------------------------------------------------------------------ credentials and calls
  let credentials = readStoredCredentials();

  function readStoredCredentials() {
    try {
      const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
      return stored && stored.username && stored.password ? stored : null;
    } catch (e) {
      return null;
    }
  }

  function basic(username, password) {
    const bytes = new TextEncoder().encode(username + ':' + password);
    let binary = '';
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return 'Basic ' + btoa(binary);
  }

  /**
   * A fresh Idempotency-Key (a random UUID): one per confirmed action, sent again if the same
   * action is confirmed again, so saga-engine acts on it at most once. Made from
   * crypto.getRandomValues, which (unlike crypto.randomUUID) also works on a plain-http address.
   */
  function newIdempotencyKey() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-'
      + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  /**
   * Whether a failed action may be confirmed again with the same key: saga-engine was not reached
   * (the request may have arrived) or the same request is still being carried out.
   */
  function mayRepeat(status, problem) {
    return status === 0
      || (status === 409 && !!problem && (problem.errors || []).some((error) => error.field === 'Idempotency-Key') && !!problem.inProgress);
  }

  /** A failed call: an HTTP status with the server's problem, or 0 when the server was not reached. */
  class ApiError extends Error {
    constructor(status, problem, text) {
      super(text);
      this.status = status;
      this.problem = problem;
    }
  }

  /** Text for a problem (RFC 9457) or a failure, naming the field when the server named one. */
  function describe(error) {
    if (!(error instanceof ApiError)) return String(error && error.message || error);
    if (error.status === 0) return error.message;
    const p = error.problem || {};
    const title = p.title || ('HTTP ' + error.status);
    return p.detail ? title + ': ' + p.detail : title;
  }

  /**
   * Calls the operator API with the operator's credentials. Paths are relative to the console
   * (../ops/...), so it works behind a proxy that mounts saga-engine under a prefix. 401 and 403
   * end the session with a message; other failures are thrown as ApiError. An action passes its
   * idempotencyKey, sent as the Idempotency-Key header.
   */
  async function api(method, path, body, allowed = [], idempotencyKey = null) {
    return call(method, '../ops/' + path, body, allowed, idempotencyKey);
  }

  /** Reads the analyst API (GET /analytics/...), which the operator role may read too. */
  function analytics(path) {
    return call('GET', '../analytics/' + path);
  }

  async function call(method, url, body, allowed = [], idempotencyKey = null) {
    if (!credentials) throw new ApiError(401, null, 'not signed in');
    const headers = {
      Authorization: basic(credentials.username, credentials.password),
      Accept: 'application/json, application/problem+json',
      // asks Spring Security for a bare 401, without the header that opens the browser's own prompt
      'X-Requested-With': 'XMLHttpRequest',
    };
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const init = { method, headers, credentials: 'omit', cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (e) {
      throw new ApiError(0, null, 'saga-engine cannot be reached (' + e.message + ')');
    }
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    if (response.status === 401) {
      signOut('saga-engine did not accept your username and password. Sign in again.');
      throw new ApiError(401, data, 'not signed in');
    }
    if (response.status === 403) {
      signOut('The account ' + credentials.username + ' may not use the operator console: it '
        + 'needs the operator role.');
      throw new ApiError(403, data, 'forbidden');
    }
    if (!response.ok && !allowed.includes(response.status)) {
      throw new ApiError(response.status, data, text);
    }
    return { status: response.status, data };
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== null && value !== undefined && value !== '') search.set(name, value);
    }
    const text = search.toString();
    return text ? '?' + text : '';
  }

  // ------------------------------------------------------------------ sign-in
  async function signIn(event) {
    event.preventDefault();
    const username = $('username').value.trim();
    const password = $('password').value;
    const note = $('sign-in-message');
    message(note, 'Checking…');
    credentials = { username, password };
    let response;
    try {
      response = await fetch('../ops/sagas?limit=1', {
        headers: {
          Authorization: basic(username, password),
          Accept: 'application/json',
          'X-Requested-With': 'XMLHttpRequest',
        },
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (e) {
      credentials = null;
      message(note, 'saga-engine cannot be reached (' + e.message + ').', 'error');
      return;
    }
    if (response.status === 401) {
      credentials = null;
      message(note, 'Sign-in failed: wrong username or password.', 'error');
      return;
    }
    if (response.status === 403) {
      credentials = null;
      message(note, 'Sign-in failed: the account ' + username + ' is not an operator (analysts '
        + 'read through the analyst API; the console needs the operator role).', 'error');
      return;
    }
    if (!response.ok) {
      credentials = null;
      message(note, 'Sign-in failed: saga-engine answered HTTP ' + response.status + '.', 'error');
      return;
    }
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
    $('password').value = '';
    message(note, '');
    route();
  }

  function signOut(why) {
    credentials = null;
    sessionStorage.removeItem(STORAGE_KEY);
    stopWatching();
    route();
    if (why) message($('sign-in-message'), why, 'error');
  }

  // ------------------------------------------------------------------ routing
  const VIEWS = ['sign-in-view', 'overview-view', 'sagas-view', 'saga-view', 'parked-view', 'audit-view'];
  let lastListHash = '#/sagas';

  function showView(id) {
    VIEWS.forEach((view) => show($(view), view === id));
    const signedIn = id !== 'sign-in-view';
    show($('nav'), signedIn);
    show($('account'), signedIn);
    $('account-name').textContent = credentials ? credentials.username : '';
    $('nav-overview').classList.toggle('current', id === 'overview-view');
    $('nav-sagas').classList.toggle('current', id === 'sagas-view' || id === 'saga-view');
    $('nav-parked').classList.toggle('current', id === 'parked-view');
    $('nav-audit').classList.toggle('current', id === 'audit-view');
  }

  function route() {
    stopWatching();
    if (!credentials) {
      showView('sign-in-view');
      $('username').focus();
      return;
    }
    // the overview is the first page after sign-in
    const hash = location.hash || '#/overview';
    const at = hash.indexOf('?');
    const path = at < 0 ? hash.slice(1) : hash.slice(1, at);
    const params = new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
    if (path === '/overview' || path === '/' || path === '') {
      showView('overview-view');
      showOverview();
    } else if (path === '/sagas') {
      lastListHash = hash;
      showView('sagas-view');
      showSagas(params);
    } else if (path.startsWith('/sagas/')) {
      showView('saga-view');
      showSaga(decodeURIComponent(path.slice('/sagas/'.length)));
    } else if (path === '/parked' || path.startsWith('/parked/')) {
      showView('parked-view');
      showParked(path === '/parked' ? null : decodeURIComponent(path.slice('/parked/'.length)));
    } else if (path === '/audit') {
      showView('audit-view');
      showAudit(params);
    } else {
      location.hash = '#/overview';
    }
  }

  // ------------------------------------------------------------------ overview
  /** How often the incidents are read again, and the charts (their aggregates read the last day's journal). */
  const OVERVIEW_REFRESH_MILLIS = 15000;
  const CHARTS_REFRESH_MILLIS = 60000;
  /** The series of the hourly chart: what the outcomes aggregate counts, with their names. */
  const SERIES = ['started', 'completed', 'compensated', 'compensationFailed'].map((key) =>
    [key, () => t('series.' + key)]);
  /** How many incidents of a kind the overview lists (the list views show them all). */
  const INCIDENTS_SHOWN = 20;
  let overviewRun = 0;
  /** The aggregates last read: { at, answers } (settled promises, as Promise.allSettled gives). */
  let charts = null;

  function showOverview() {
    return loadOverview(true);
  }

  function scheduleOverview() {
    stopWatching();
    if (!$('overview-watch').checked || $('overview-view').hidden) return;
    watch = setTimeout(() => loadOverview(false), OVERVIEW_REFRESH_MILLIS);
  }

  /**
   * The last 24 hours from the analyst API's aggregates, and what needs an operator now from the
   * operator API; each part drawn on its own, so one that fails says so and the others still show.
   * A timed refresh reads the incidents each time and the aggregates once a minute; opening the
   * page or Refresh reads everything.
   */
  async function loadOverview(everything) {
    const run = ++overviewRun;
    const note = $('overview-message');
    const chartsDue = everything || !charts || Date.now() - charts.at >= CHARTS_REFRESH_MILLIS;
    const [chartAnswers, incidentAnswers] = await Promise.all([
      chartsDue ? Promise.allSettled([
        analytics('aggregates/outcomes?bucket=hour'),
        analytics('aggregates/failure-reasons'),
        analytics('aggregates/step-latency'),
        analytics('aggregates/step-retries'),
      ]) : charts.answers,
      Promise.allSettled([
        api('GET', 'sagas' + query({ state: 'COMPENSATION_FAILED', limit: INCIDENTS_SHOWN })),
        api('GET', 'sagas' + query({ stuck: 'true', limit: INCIDENTS_SHOWN })),
        api('GET', 'parked'),
        api('GET', 'canary'),
      ]),
    ]);
    if (chartsDue) charts = { at: Date.now(), answers: chartAnswers };
    if (run !== overviewRun || $('overview-view').hidden) return;
    const answers = chartAnswers.concat(incidentAnswers);
    const refused = answers.find((a) => a.status === 'rejected'
      && (a.reason.status === 401 || a.reason.status === 403));
    if (refused) return;
    const [outcomes, reasons, latency, retries, failed, stuck, parked, canary] =
      answers.map((a) => (a.status === 'fulfilled' ? a.value.data : null));
    const errors = answers.filter((a) => a.status === 'rejected').map((a) => describe(a.reason));
    message(note, errors.length ? t('overview.unreadable', errors[0]) : '',
      errors.length ? 'error' : '');

    const incidents = drawIncidents(failed, stuck, parked);
    drawCanary(canary);
    drawTotals(outcomes, incidents);
    $('overview-hourly').replaceChildren(outcomes ? hourlyChart(outcomes) : '');
    $('overview-reasons').replaceChildren(reasons ? reasonsChart(reasons) : '');
    $('overview-latency').replaceChildren(latency ? latencyChart(latency, retries) : '');
    const quiet = outcomes && SERIES.every(([key]) => !outcomes.totals[key]) && incidents === 0;
    show($('overview-empty'), Boolean(quiet));
    $('overview-updated').textContent = t('overview.asOf', clockTime(new Date().toISOString()));
    scheduleOverview();
  }

  /** The last day's totals, and how many incidents are open. */
  function drawTotals(outcomes, incidents) {
    const tiles = SERIES.map(([key, name]) => {
      const count = outcomes ? outcomes.totals[key] : '–';
      return h('div', { class: 'tile series-' + key, 'data-series': key },
        h('strong', { id: 'overview-total-' + key, class: 'tile-count' }, count),
        h('span', {}, name()));
    });
    tiles.push(h('div', { class: 'tile' + (incidents ? ' tile-bad' : ''), 'data-series': 'incidents' },
      h('strong', { id: 'overview-total-incidents', class: 'tile-count' }, incidents),
      t('tile.incidents')));
    $('overview-totals').replaceChildren(...tiles);
  }

  /** The canary's split, verdict and each version's outcomes in its window (GET /ops/canary). */
  function drawCanary(canary) {
    if (!canary) {
      $('overview-canary').replaceChildren(h('p', { class: 'subtle' }, t('incident.unreadable')));
      return;
    }
    const split = canary.split;
    const lines = [h('p', { id: 'overview-canary-split', 'data-state': split.state },
      split.candidate && split.state !== 'OFF'
        ? t('canary.split', split.candidate, split.percent, split.state) : t('canary.off'))];
    if (split.state !== 'OFF') {
      lines.push(h('p', { class: 'subtle' }, canary.verdict));
      for (const o of [canary.stableOutcomes, canary.candidateOutcomes]) {
        if (o && o.version) lines.push(h('p', { class: 'small' }, t('canary.outcomes', o.version, o.ended, o.failed)));
      }
    }
    $('overview-canary').replaceChildren(...lines);
  }

  /**
   * Changes the canary's split (POST /ops/canary, audited as canary) from the overview's form: the
   * candidate version, its share of new orders (0 turns it off) and why; shows the new split, or
   * the refusal naming the field.
   */
  async function setCanary(event) {
    event.preventDefault();
    const body = {
      candidate: $('canary-candidate').value.trim(),
      percent: Number($('canary-percent').value),
      reason: $('canary-reason').value.trim(),
    };
    try {
      drawCanary((await api('POST', 'canary', body, [], newIdempotencyKey())).data);
      $('canary-result').textContent = t('canary.changed');
    } catch (error) {
      $('canary-result').textContent = describe(error);
    }
  }

  /** Open incidents with links into the list and parked views; returns how many are open. */
  function drawIncidents(failed, stuck, parked) {
    const queues = parked ? parked.queues.filter((q) => q.parked > 0) : [];
    const block = (kind, title, href, items, more, total, render) =>
      h('div', { class: 'incident-block', 'data-incident': kind, 'data-count': total },
        h('h3', {}, title, ' ',
          h('span', { class: 'count ' + (total ? 'count-bad' : 'count-ok') }, total + (more ? '+' : '')),
          ' ', h('a', { href, class: 'small' }, t('incident.openList'))),
        items === null ? h('p', { class: 'subtle' }, t('incident.unreadable'))
          : items.length ? h('ul', { class: 'incidents' }, items.map(render))
            : h('p', { class: 'subtle' }, t('incident.none')));
    const failedItems = failed ? failed.items : null;
    const stuckItems = stuck ? stuck.items : null;
    $('overview-incidents').replaceChildren(
      block('compensation-failed', t('incident.compensationFailed'), '#/sagas?state=COMPENSATION_FAILED',
        failedItems, failed && failed.nextCursor, failedItems ? failedItems.length : 0,
        (saga) => h('li', { 'data-order-id': saga.orderId }, sagaLink(saga.orderId),
          t('incident.at', saga.step || '?'),
          h('span', { class: 'mono' }, saga.incident || t('incident.noCause')),
          ' · ', age(saga.updatedAt, true))),
      block('stuck', t('incident.stuck'), '#/sagas?stuck=true', stuckItems, stuck && stuck.nextCursor,
        stuckItems ? stuckItems.length : 0,
        (saga) => h('li', { 'data-order-id': saga.orderId }, sagaLink(saga.orderId), ' ',
          stateBadge(saga.state), t('incident.at', saga.step || '?').replace(/: $/, ''), saga.stuckSince
            ? [t('incident.stuckSince'), time(saga.stuckSince)]
            : [t('incident.deadlineWas'), time(saga.deadlineAt)])),
      block('parked-messages', t('incident.parked'), '#/parked', parked ? queues : null, false,
        parked ? parked.total : 0,
        (q) => h('li', { 'data-queue': q.queue },
          h('a', { href: '#/parked/' + encodeURIComponent(q.queue), class: 'mono' }, q.queue), ': ',
          t('incident.messages', q.parked))));
    return (failedItems ? failedItems.length : 0) + (stuckItems ? stuckItems.length : 0)
      + (parked ? parked.total : 0);
  }

  /** The smallest of 1, 2, 5 times a power of ten at least n. */
  function niceCeiling(n) {
    let power = 1;
    while (power * 10 <= n) power *= 10;
    return [1, 2, 5, 10].map((f) => f * power).find((v) => v >= n);
  }

  const hourOf = (instant) => new Date(instant).toISOString().slice(11, 16);

  /** Sagas started and ended per hour: a bar of those started, beside a stack of how they ended. */
  function hourlyChart(outcomes) {
    if (!SERIES.some(([key]) => outcomes.totals[key])) {
      return h('p', { class: 'empty' }, t('hourly.none'));
    }
    const buckets = outcomes.buckets;
    const W = 1000;
    const H = 200;
    const left = 40;
    const right = 8;
    const top = 12;
    const bottom = 26;
    const plotHeight = H - top - bottom;
    const slot = (W - left - right) / Math.max(1, buckets.length);
    const ended = (c) => c.completed + c.compensated + c.compensationFailed;
    const max = niceCeiling(Math.max(1, ...buckets.map((b) => Math.max(b.counts.started, ended(b.counts)))));
    const y = (n) => top + plotHeight - (n / max) * plotHeight;
    const parts = [];
    for (const tick of [...new Set([0, Math.round(max / 2), max])]) {
      parts.push(svg('line', { x1: left, x2: W - right, y1: y(tick), y2: y(tick), class: 'grid' }),
        svg('text', { x: left - 6, y: y(tick) + 4, class: 'axis', 'text-anchor': 'end' }, tick));
    }
    const barWidth = Math.max(2, (slot - 6) / 2);
    buckets.forEach((b, i) => {
      const x0 = left + i * slot + 2;
      const when = hourOf(b.start) + '–' + hourOf(b.end) + ' UTC';
      const bar = (x, base, key, name) => {
        const count = b.counts[key];
        if (!count) return;
        parts.push(svg('rect', { class: 'bar series-' + key, x, y: y(base + count), width: barWidth,
          height: y(base) - y(base + count), 'data-series': key, 'data-start': b.start,
          'data-count': count }, svg('title', {}, t('hourly.bar', when, count, name()))));
      };
      bar(x0, 0, 'started', SERIES[0][1]);
      let base = 0;
      for (const [key, name] of SERIES.slice(1)) {
        bar(x0 + barWidth + 1, base, key, name);
        base += b.counts[key];
      }
      if (i % 3 === 0) {
        parts.push(svg('text', { x: x0 + barWidth, y: H - 8, class: 'axis', 'text-anchor': 'middle' },
          hourOf(b.start)));
      }
    });
    return h('div', {},
      svg('svg', { id: 'overview-hourly-chart', class: 'chart', viewBox: '0 0 ' + W + ' ' + H,
        role: 'img', 'aria-label': t('hourly.label') }, parts),
      h('p', { class: 'legend' }, SERIES.map(([key, name]) =>
        h('span', { class: 'legend-item' }, h('span', { class: 'swatch series-' + key }), name())),
      h('span', { class: 'subtle' }, t('hourly.note'))));
  }

  /** Why sagas were undone, most frequent first, with each reason's share. */
  function reasonsChart(report) {
    if (!report.reasons.length) {
      return h('p', { class: 'empty' }, t('reasons.none')
        + (report.finished ? t('reasons.allCompleted', report.finished) : '.'));
    }
    const row = 28;
    const W = 560;
    const labelWidth = 190;
    const barMax = W - labelWidth - 110;
    const max = Math.max(...report.reasons.map((r) => r.count));
    const parts = report.reasons.map((r, i) => {
      const length = Math.max(2, (r.count / max) * barMax);
      return svg('g', { class: 'reason', 'data-reason': r.reason, 'data-count': r.count,
        transform: 'translate(0,' + i * row + ')' },
      svg('title', {}, r.reason + ': ' + r.count + ' ' + t('reasons.share', Math.round(r.share * 100))),
      svg('text', { x: 0, y: 17, class: 'label' }, fit(t('reason.name', r.reason), 26)),
      svg('rect', { x: labelWidth, y: 5, width: length, height: 16, class: 'bar series-failure' }),
      svg('text', { x: labelWidth + length + 6, y: 17, class: 'value' },
        r.count + ' · ' + Math.round(r.share * 100) + '%'));
    });
    return h('div', {},
      svg('svg', { id: 'overview-reasons-chart', class: 'chart',
        viewBox: '0 0 ' + W + ' ' + (report.reasons.length * row + 4), role: 'img',
        'aria-label': t('reasons.label') }, parts),
      h('p', { class: 'subtle' }, t('reasons.rate', report.failed, report.finished,
        Math.round(report.failureRate * 1000) / 10)));
  }

  const millis = (ms) => (ms === null || ms === undefined ? '–'
    : ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s');

  /** Per step: p50, p95 and p99 of how long its reply took, on one scale; runs and retries beside. */
  function latencyChart(report, retries) {
    const steps = report.steps.filter((s) => s.runs > 0);
    if (!steps.length) {
      return h('p', { class: 'empty' }, t('latency.none'));
    }
    const retriesOf = {};
    (retries ? retries.steps : []).forEach((s) => { retriesOf[s.step] = s.retries; });
    const row = 46;
    const W = 560;
    const labelWidth = 150;
    const barMax = W - labelWidth - 80;
    const max = Math.max(1, ...steps.map((s) => s.p99Ms || 0));
    const parts = steps.map((s, i) => {
      // MARK_REFUND_PENDING gets no reply by design: runs only
      const replied = STEP_MESSAGES[s.step] && STEP_MESSAGES[s.step].ok.length > 0;
      const bars = !replied ? [] : [['p50', s.p50Ms], ['p95', s.p95Ms], ['p99', s.p99Ms]].map(([name, ms], j) => {
        const length = ms === null ? 0 : Math.max(2, (ms / max) * barMax);
        return [svg('rect', { x: labelWidth, y: 4 + j * 11, width: length, height: 9,
          class: 'bar latency-' + name }),
        svg('text', { x: labelWidth + length + 5, y: 12 + j * 11, class: 'value small' },
          name + ' ' + millis(ms))];
      });
      const facts = t('latency.runs', s.runs)
        + (retriesOf[s.step] ? ' · ' + t('latency.retries', retriesOf[s.step]) : '')
        + (!replied ? ' · ' + t('latency.noReply')
          : s.unanswered ? ' · ' + t('latency.unanswered', s.unanswered) : '');
      return svg('g', { class: 'latency', 'data-step': s.step, 'data-runs': s.runs,
        'data-p50': s.p50Ms === null ? '' : s.p50Ms, 'data-p95': s.p95Ms === null ? '' : s.p95Ms,
        'data-p99': s.p99Ms === null ? '' : s.p99Ms, transform: 'translate(0,' + i * row + ')' },
      svg('title', {}, s.step + ': p50 ' + millis(s.p50Ms) + ', p95 ' + millis(s.p95Ms) + ', p99 '
        + millis(s.p99Ms) + ', ' + t('latency.max') + ' ' + millis(s.maxMs) + '; ' + facts),
      svg('text', { x: 0, y: 15, class: 'label' }, t('latency.step', s.step)),
      svg('text', { x: 0, y: 31, class: 'value small' }, facts),
      bars);
    });
    return svg('svg', { id: 'overview-latency-chart', class: 'chart',
      viewBox: '0 0 ' + W + ' ' + (steps.length * row), role: 'img',
      'aria-label': t('latency.label') }, parts);
  }

  // ------------------------------------------------------------------ sagas: filter and list
  /** The filter applied to the list (from the address), as the bulk API's filter object. */
  let appliedFilter = {};
  let listParams = new URLSearchParams();
  // the last dry run: { key, report, runKey }; runKey is the Idempotency-Key of its run for real
  let dryRun = null;

  function fillFilterForm(params) {
    const states = (params.get('state') || '').split(',').filter(Boolean);
    document.querySelectorAll('#filter-states input').forEach((box) => {
      box.checked = states.includes(box.value);
    });
    $('filter-stuck').value = params.get('stuck') || '';
    $('filter-step').value = params.get('step') || '';
    $('filter-reason').value = params.get('reason') || '';
    $('filter-customer').value = params.get('customerId') || '';
    $('filter-email').value = params.get('email') || '';
    $('filter-older').value = params.get('olderThan') || '';
    $('filter-newer').value = params.get('newerThan') || '';
    $('filter-limit').value = params.get('limit') || '50';
  }

  function filterFromForm() {
    const states = [...document.querySelectorAll('#filter-states input:checked')].map((b) => b.value);
    return {
      state: states.join(','),
      stuck: $('filter-stuck').value,
      step: $('filter-step').value,
      reason: $('filter-reason').value,
      customerId: $('filter-customer').value.trim(),
      email: $('filter-email').value.trim(),
      olderThan: $('filter-older').value.trim(),
      newerThan: $('filter-newer').value.trim(),
      limit: $('filter-limit').value,
    };
  }

  /** The bulk API's filter: the same criteria as the listing, typed. */
  function bulkFilter(params) {
    const filter = {};
    for (const key of FILTER_KEYS) {
      const value = params.get(key);
      if (!value) continue;
      if (key === 'state') filter.state = value.split(',').filter(Boolean);
      else if (key === 'stuck') filter.stuck = value === 'true';
      else filter[key] = value;
    }
    return filter;
  }

  function describeFilter(filter) {
    const parts = Object.entries(filter).map(([k, v]) => k + '=' + (Array.isArray(v) ? v.join(',') : v));
    return parts.length ? parts.join('  ') : '(none: choose at least one criterion and search)';
  }

  async function showSagas(params) {
    fillFilterForm(params);
    listParams = params;
    appliedFilter = bulkFilter(params);
    $('bulk-filter').textContent = describeFilter(appliedFilter);
    invalidateDryRun();
    clear($('saga-list').tBodies[0]);
    $('saga-count').textContent = '';
    await loadSagas(null);
  }

  function loadSagas(cursor) {
    return loadPage(cursor, {
      path: 'sagas', keys: FILTER_KEYS, params: listParams, table: $('saga-list'),
      note: $('saga-list-message'), more: $('saga-more'), row: sagaRow,
      empty: 'No saga matches this filter.',
      shown: (count, next) => { $('saga-count').textContent = '(' + count + (next ? '+' : '') + ')'; },
    });
  }

  /**
   * One page of a listing the server pages by cursor, added to its table: `keys` and `limit` of
   * `params` as the query, `row` makes each item's row, `shown` (if any) hears the rows now shown
   * and the next cursor; `more` carries that cursor, shown while there is one.
   */
  async function loadPage(cursor, { path, keys, params: from, table, note, more, row, empty, shown }) {
    const params = {};
    for (const key of keys.concat(['limit'])) params[key] = from.get(key);
    params.cursor = cursor;
    message(note, 'Loading…');
    more.disabled = true;
    try {
      const { data } = await api('GET', path + query(params));
      const body = table.tBodies[0];
      data.items.forEach((item) => body.append(row(item)));
      if (shown) shown(body.rows.length, data.nextCursor);
      message(note, body.rows.length ? '' : empty);
      more.dataset.cursor = data.nextCursor || '';
      show(more, !!data.nextCursor);
    } catch (e) {
      showError(note, e);
    } finally {
      more.disabled = false;
    }
  }

  function sagaRow(saga) {
    return h('tr', { 'data-order-id': saga.orderId },
      h('td', {}, sagaLink(saga.orderId)),
      h('td', {}, stateBadge(saga.state),
        saga.parkedFrom ? h('span', { class: 'subtle' }, ' from ' + saga.parkedFrom) : ''),
      h('td', {}, saga.step || ''),
      h('td', { class: 'number' }, saga.attempt),
      h('td', {}, saga.reason || '',
        saga.incident ? h('div', { class: 'subtle mono', title: 'why the compensation failed' },
          saga.incident) : ''),
      h('td', {}, saga.customerId || '', saga.customerEmail
        ? h('div', { class: 'subtle' }, saga.customerEmail) : ''),
      h('td', {}, age(saga.startedAt)),
      h('td', {}, age(saga.updatedAt)),
      h('td', {}, saga.stuck ? h('span', { class: 'stuck', title: 'deadline was ' + saga.deadlineAt },
        'stuck', saga.stuckSince ? [' since ', time(saga.stuckSince)] : '') : ''));
  }

  function applyFilter(event) {
    event.preventDefault();
    const target = '#/sagas' + query(filterFromForm());
    if (location.hash === target) route(); else location.hash = target;
  }

  // ------------------------------------------------------------------ bulk actions
  function bulkRequest(dry) {
    const max = Number($('bulk-max').value);
    const rate = Number($('bulk-rate').value);
    return {
      filter: appliedFilter,
      dryRun: dry,
      maxSagas: Number.isFinite(max) && max > 0 ? max : undefined,
      ratePerSecond: Number.isFinite(rate) && rate > 0 ? rate : undefined,
      reason: $('bulk-reason').value.trim(),
    };
  }

  /** What a dry run is valid for: the same action on the same filter and the same cap. */
  const bulkKey = () =>
    JSON.stringify([$('bulk-action').value, appliedFilter, $('bulk-max').value]);

  function invalidateDryRun() {
    dryRun = null;
    $('bulk-run').disabled = true;
    clear($('bulk-report'));
    message($('bulk-message'), '');
  }

  async function runDry(event) {
    event.preventDefault();
    const note = $('bulk-message');
    if (!Object.keys(appliedFilter).length) {
      message(note, 'Search with at least one criterion first: a bulk action needs a filter.', 'error');
      return;
    }
    if (!$('bulk-reason').value.trim()) {
      message(note, 'Give a reason: it goes to the audit log with the dry run and the run.', 'error');
      return;
    }
    const action = $('bulk-action').value;
    const key = bulkKey();
    invalidateDryRun();
    message(note, 'Dry run…');
    try {
      const { data } = await api('POST', 'bulk/' + action, bulkRequest(true));
      dryRun = { key, report: data, runKey: newIdempotencyKey() };
      const applying = data.sagas.filter((s) => s.plan === 'apply').length;
      message(note, 'Dry run: ' + action + ' would act on ' + (applying || 'none') + ' of '
        + sagas(data.sagas.length) + ' selected. Nothing was changed.');
      $('bulk-report').replaceChildren(bulkReport(data, null));
      $('bulk-run').disabled = applying === 0;
    } catch (e) {
      showError(note, e);
    }
  }

  function askRunForReal() {
    if (!dryRun || dryRun.key !== bulkKey()) {
      invalidateDryRun();
      message($('bulk-message'), 'The action, filter or cap changed since the dry run: do a dry '
        + 'run again first.', 'error');
      return;
    }
    const report = dryRun.report;
    const applying = report.sagas.filter((s) => s.plan === 'apply').length;
    const rate = Number($('bulk-rate').value) || 5;
    $('bulk-summary').textContent = 'Run ' + report.action + ' for real on the '
      + sagas(applying) + ' the dry run would act on (' + (report.sagas.length - applying)
      + ' skipped), at most '
      + rate + ' a second (about ' + Math.ceil(applying / rate) + ' s). Each saga is checked again '
      + 'just before the action. Reason: "' + $('bulk-reason').value.trim() + '".';
    $('bulk-dialog').showModal();
  }

  async function runForReal() {
    $('bulk-dialog').close();
    const note = $('bulk-message');
    const action = $('bulk-action').value;
    const before = dryRun;
    $('bulk-run').disabled = true;
    $('bulk-dry-run').disabled = true;
    message(note, 'Running ' + action + ' for real…');
    try {
      const { data } = await api('POST', 'bulk/' + action, bulkRequest(false), [],
        before ? before.runKey : newIdempotencyKey());
      const counts = Object.entries(data.counts || {}).map(([k, v]) => k + ' ' + v).join(', ');
      message(note, 'Done: ' + action + ' on ' + sagas(data.sagas.length) + ' ('
        + (counts || 'none') + ').', 'ok');
      $('bulk-report').replaceChildren(bulkReport(data, before ? before.report : null));
      dryRun = null;
      // the list shows where the sagas stand now
      clear($('saga-list').tBodies[0]);
      loadSagas(null);
    } catch (e) {
      if (e.status !== 401 && e.status !== 403) {
        if (mayRepeat(e.status, e.problem)) {
          // the same run again carries the same key: saga-engine does it at most once
          $('bulk-run').disabled = false;
          message(note, describe(e) + ' Run for real again to get its result: it is the same '
            + 'request, done at most once.', 'error');
        } else {
          message(note, describe(e), 'error');
        }
      }
    } finally {
      $('bulk-dry-run').disabled = false;
    }
  }

  /** A bulk report; a real run's is compared with the dry run before it. */
  function bulkReport(report, previousDryRun) {
    const parts = [];
    if (report.truncated) {
      parts.push(h('p', { class: 'warning' }, 'More sagas matched than ' + report.maxSagas
        + ': only the oldest ' + report.maxSagas + ' were selected.'));
    }
    if (previousDryRun) {
      const planned = new Set(previousDryRun.sagas.map((s) => s.orderId));
      const now = new Set(report.sagas.map((s) => s.orderId));
      const added = [...now].filter((id) => !planned.has(id));
      const gone = [...planned].filter((id) => !now.has(id));
      if (added.length || gone.length) {
        parts.push(h('p', { class: 'warning' }, 'The selection changed since the dry run: '
          + added.length + ' new (' + added.join(', ') + '), ' + gone.length + ' no longer matching ('
          + gone.join(', ') + ').'));
      }
    }
    const rows = report.sagas.map((item) => {
      const standing = item.standing || {};
      const result = item.result;
      return h('tr', { 'data-order-id': item.orderId, class: 'plan-' + item.plan },
        h('td', {}, sagaLink(item.orderId)),
        h('td', {}, stateBadge(standing.state), ' ', standing.step || '', ' #', standing.attempt),
        h('td', {}, item.plan),
        h('td', {}, item.detail || ''),
        report.dryRun ? null : h('td', {}, result
          ? [h('span', { class: 'outcome outcome-' + result.outcome.toLowerCase() }, result.outcome),
            result.after ? [' → ', stateBadge(result.after.state)] : '',
            result.detail ? h('div', { class: 'subtle' }, result.detail) : '']
          : 'skipped'));
    });
    parts.push(h('table', { class: 'list', id: report.dryRun ? 'bulk-dry-run-list' : 'bulk-run-list' },
      h('caption', {}, (report.dryRun ? 'Dry run of ' : 'Run of ') + report.action + ': '
        + sagas(report.sagas.length) + ' selected'),
      h('thead', {}, h('tr', {}, h('th', {}, 'Order'), h('th', {}, 'Where it stood'),
        h('th', {}, 'Plan'), h('th', {}, report.dryRun ? 'What it would do' : 'What it did'),
        report.dryRun ? null : h('th', {}, 'Checked result'))),
      h('tbody', {}, rows)));
    return h('div', {}, parts);
  }

  // ------------------------------------------------------------------ one saga
  let current = null; // { orderId, detail }
  let watch = null;

  function stopWatching() {
    if (watch) clearTimeout(watch);
    watch = null;
  }

  function scheduleWatch() {
    stopWatching();
    if (!current || !$('saga-watch').checked || !current.detail) return;
    if (FINAL.includes(current.detail.status.state)) return;
    watch = setTimeout(() => refreshSaga(true), REFRESH_MILLIS);
  }

  async function showSaga(orderId) {
    current = { orderId, detail: null, fingerprint: null };
    stepFilter = null;
    clear($('saga-path'));
    show($('timeline-filter'), false);
    $('back-to-list').setAttribute('href', lastListHash);
    $('saga-order-id').textContent = orderId;
    $('saga-state').replaceChildren();
    clear($('saga-status'));
    clear($('action-result'));
    clear($('saga-timeline').tBodies[0]);
    clear($('saga-audit').tBodies[0]);
    await refreshSaga(false);
  }

  /** Loads the saga; on a timed refresh the page is redrawn only when something changed. */
  async function refreshSaga(quietly) {
    const orderId = current && current.orderId;
    if (!orderId) return;
    const note = $('saga-message');
    if (!quietly) message(note, 'Loading…');
    try {
      const { data } = await api('GET', 'sagas/' + encodeURIComponent(orderId));
      if (!current || current.orderId !== orderId) return;
      const fingerprint = JSON.stringify([data.status, data.timeline.length, data.audit.length]);
      if (fingerprint !== current.fingerprint) {
        current.detail = data;
        current.fingerprint = fingerprint;
        renderSaga(data);
      }
      message(note, '');
    } catch (e) {
      if (e.status === 401 || e.status === 403) return;
      message(note, e.status === 404 ? 'No saga for order ' + orderId + '.' : describe(e), 'error');
    }
    if (current && current.orderId === orderId) scheduleWatch();
  }

  function renderSaga(detail) {
    const s = detail.status;
    $('saga-state').replaceChildren(stateBadge(s.state));
    // the cause of an incident, where an operator looks first (not only in the timeline)
    const incident = $('saga-incident');
    incident.replaceChildren(...(s.incident
      ? ['Compensation failed at ', s.step || '?', ': ', h('span', { class: 'cause' }, s.incident),
        '. Retry the step once the cause is fixed.']
      : []));
    show(incident, Boolean(s.incident));
    const rows = [
      ['State', [stateBadge(s.state), s.parkedFrom ? ' (parked from ' + s.parkedFrom + ')' : '']],
      ['Step', s.step || '(none in progress)'],
      ['Saga version', s.sagaVersion || 'v1'],
      ['Attempt', s.attempt],
      ['Reason', s.reason || ''],
      ['Incident', s.incident || 'none'],
      ['Cancel requested', s.cancelRequested ? 'yes' : 'no'],
      ['Customer', [s.customerId || '', s.customerEmail ? ' <' + s.customerEmail + '>' : '']],
      ['Started', [time(s.startedAt), ' (', age(s.startedAt), ')']],
      ['Updated', [time(s.updatedAt), ' (', age(s.updatedAt), ')']],
      ['Deadline', s.deadlineAt ? time(s.deadlineAt) : 'none'],
      ['Stuck', s.stuck ? h('span', { class: 'stuck' }, 'yes', s.stuckSince ? [' since ', time(s.stuckSince)] : '') : 'no'],
      ['Reply held while parked', s.heldReply || ''],
      ['Last operator action', s.lastAction
        ? [s.lastAction.action, s.lastAction.applied ? ' (applied)' : ' (not applied)',
          s.lastAction.detail ? ': ' + s.lastAction.detail : '']
        : 'none'],
    ];
    $('saga-status').replaceChildren(...rows.flatMap(([name, value]) => [
      h('dt', {}, name),
      h('dd', { 'data-field': name.toLowerCase().replace(/[^a-z]+/g, '-') }, value),
    ]));
    const path = readPath(s, detail.timeline);
    $('saga-path').replaceChildren(drawPath(path, s));
    $('saga-timeline').tBodies[0].replaceChildren(...detail.timeline.map((entry) =>
      h('tr', { class: 'dir-' + entry.direction, 'data-step': path.stepOfRow[entry.sequence] },
        h('td', { class: 'number' }, entry.sequence),
        h('td', {}, time(entry.recordedAt)),
        h('td', { title: entry.direction === 'out' ? 'sent' : 'received' },
          entry.direction === 'out' ? '→ out' : '← in'),
        h('td', { class: 'mono' }, entry.type),
        h('td', { class: 'mono small' }, entry.messageId,
          entry.causationId ? h('div', { class: 'subtle' }, 'caused by ' + entry.causationId) : '',
          entry.traceId
            ? h('div', { class: 'subtle', 'data-trace-id': entry.traceId,
                title: 'the trace of the span that made this message (Jaeger: search by trace id)' },
              'trace ' + entry.traceId)
            : ''),
        h('td', {}, jsonDetails('payload', entry.payload)))));
    $('saga-audit').tBodies[0].replaceChildren(...detail.audit.map(auditRow));
    applyStepFilter();
  }

  // ------------------------------------------------------------------ one saga: its path, drawn
  /** The forward path and the undo path, each in the order it runs; CANCEL_SHIPMENT when it ran. */
  const FORWARD_PATH = ['AUTHORIZE_PAYMENT', 'SCHEDULE_SHIPMENT', 'APPROVE_ORDER'];
  const UNDO_PATH = ['CANCEL_SHIPMENT', 'REFUND_PAYMENT', 'REJECT_ORDER', 'NOTIFY_CUSTOMER'];
  /** The forward step each compensation undoes, and the other way round. */
  const UNDOES = { CANCEL_SHIPMENT: 'SCHEDULE_SHIPMENT', REFUND_PAYMENT: 'AUTHORIZE_PAYMENT' };
  const UNDONE_BY = { SCHEDULE_SHIPMENT: 'CANCEL_SHIPMENT', AUTHORIZE_PAYMENT: 'REFUND_PAYMENT' };
  /** A step's name on the path, in the language chosen. */
  const stepTitle = (step) => t('step.' + step);
  /** The marks a step can have (data-mark and the class mark-*); their words are t('mark.*'). */
  const MARKS = ['done', 'in-progress', 'failed', 'undone', 'skipped', 'not-reached'];
  const OPERATOR_REQUESTS = {
    'saga.OperatorRetryRequested': 'retry',
    'saga.OperatorResumeRequested': 'resume',
    'saga.OperatorCompensationRequested': 'compensate',
    'saga.OperatorParkRequested': 'park',
    'saga.OperatorUnparkRequested': 'unpark',
  };
  /** States in which the saga waits on the reply to its step. */
  const WAITING = ['AWAITING_PAYMENT', 'AWAITING_SHIPMENT', 'AWAITING_APPROVAL', 'COMPENSATING'];
  const STEP_OF_COMMAND = {};
  const STEP_OF_REPLY = {};
  Object.entries(STEP_MESSAGES).forEach(([step, m]) => {
    STEP_OF_COMMAND[m.command] = step;
    m.ok.concat(m.failed).forEach((type) => { STEP_OF_REPLY[type] = step; });
  });

  /** The step whose messages the timeline shows, or null for all: { orderId, step }. */
  let stepFilter = null;

  /**
   * What became of each step, read from the saga's status and its timeline: how many commands it
   * sent, its replies, its deadlines that passed, the operator requests made while the saga stood
   * at it; then its mark. Each timeline row is given the step it belongs to (a command, a reply to
   * it by causation or by type, a StepTimedOut by its step, an operator request by the step the
   * saga stood at; MarkRefundPending is drawn on REFUND_PAYMENT).
   */
  function readPath(status, timeline) {
    const steps = {};
    STEPS.forEach((step) => {
      steps[step] = { step, commands: 0, ok: 0, failed: 0, lastReply: null, timeouts: 0,
        actions: [], notes: [] };
    });
    const stepOfCommandId = {};
    const stepOfRow = {};
    let standing = null; // the step of the last command the saga sent on its path
    for (const entry of timeline) {
      const type = String(entry.type);
      const payload = entry.payload || {};
      let step = null;
      if (entry.direction === 'out') {
        step = STEP_OF_COMMAND[type] || null;
        if (step) stepOfCommandId[entry.messageId] = step;
        if (step === 'MARK_REFUND_PENDING') {
          steps.REFUND_PAYMENT.notes.push(t('path.refundPending'));
          step = 'REFUND_PAYMENT';
        } else if (step === 'NOTIFY_CUSTOMER' && payload.reason === 'REFUND_DELAYED') {
          steps[step].notes.push(t('path.delayNotice'));
        } else if (step) {
          steps[step].commands += 1;
          standing = step;
        }
      } else if (type === 'saga.StepTimedOut') {
        step = steps[payload.step] ? payload.step : null;
        if (step) steps[step].timeouts += 1;
      } else if (OPERATOR_REQUESTS[type]) {
        const action = OPERATOR_REQUESTS[type];
        step = action === 'resume' && steps[payload.fromStep] ? payload.fromStep : standing;
        if (step) steps[step].actions.push({ action, operator: payload.operator, reason: payload.reason });
      } else {
        step = stepOfCommandId[entry.causationId] || STEP_OF_REPLY[type] || null;
        const messages = step ? STEP_MESSAGES[step] : null;
        const kind = !messages ? null : messages.ok.includes(type) ? 'ok'
          : messages.failed.includes(type) ? 'failed' : null;
        if (kind) {
          steps[step][kind] += 1;
          steps[step].lastReply = { type, kind, payload };
        }
      }
      if (step) stepOfRow[entry.sequence] = step === 'MARK_REFUND_PENDING' ? 'REFUND_PAYMENT' : step;
    }

    const parked = status.state === 'PARKED';
    const standingState = parked ? status.parkedFrom : status.state;
    const undoing = ['COMPENSATING', 'COMPENSATED', 'COMPENSATION_FAILED'].includes(standingState);
    const undo = UNDO_PATH.filter((step) => step !== 'CANCEL_SHIPMENT'
      || steps[step].commands > 0 || status.step === step);
    for (const step of FORWARD_PATH.concat(undo)) {
      const s = steps[step];
      const later = UNDO_PATH.slice(UNDO_PATH.indexOf(step) + 1);
      const atStep = status.step === step;
      if (atStep && standingState === 'COMPENSATION_FAILED') s.mark = 'failed';
      else if (atStep && WAITING.includes(standingState)) s.mark = 'in-progress';
      else if (s.ok > 0) s.mark = UNDONE_BY[step] && steps[UNDONE_BY[step]].ok > 0 ? 'undone' : 'done';
      // the customer's notice waits on no reply: the notifier keeps it until its mail server takes it
      else if (step === 'NOTIFY_CUSTOMER' && s.commands > 0) s.mark = 'done';
      // a refusal, or a command given up (its attempts ran out, or the saga moved on)
      else if (s.failed > 0 || s.commands > 0) s.mark = 'failed';
      else if (UNDOES[step] && undoing && steps[UNDOES[step]].ok === 0
        && (standingState === 'COMPENSATED' || later.some((l) => steps[l].commands > 0))) {
        s.mark = 'skipped';
      } else s.mark = 'not-reached';
      s.current = atStep && s.mark !== 'not-reached';
      s.parked = s.current && parked;
    }
    return { steps, forward: FORWARD_PATH, undo, stepOfRow };
  }

  /** An instant as UTC time of day: 10:42:07Z. */
  const clockTime = (instant) => new Date(instant).toISOString().slice(11, 19) + 'Z';

  /** The short name of a wire type: payment.PaymentDeclined -> PaymentDeclined. */
  const shortType = (type) => String(type).slice(String(type).indexOf('.') + 1);

  /** Text cut to fit a step's box; the whole of it is in the box's tooltip. */
  const fit = (text, max) => (text.length > max ? text.slice(0, max - 1) + '…' : text);

  const plural = (n, one, many) => n + ' ' + (n === 1 ? one : many);

  /** What a step's box says under its mark. */
  function stepDetail(s, status) {
    const reply = s.lastReply;
    switch (s.mark) {
      case 'in-progress':
        return t('path.attempt', status.attempt) + (status.deadlineAt
          ? t('path.due', clockTime(status.deadlineAt)) : s.parked ? t('path.noDeadlineParked') : '');
      case 'failed':
        if (s.current && status.incident) return status.incident;
        if (reply && reply.kind === 'failed') {
          return shortType(reply.type) + (reply.payload.reason ? ' ' + reply.payload.reason : '');
        }
        return s.timeouts ? t('path.noAnswer', s.timeouts) : t('path.givenUp');
      case 'done':
        return reply ? shortType(reply.type) : t('path.noticeSent');
      case 'undone':
        return t('path.undoneBy', stepTitle(UNDONE_BY[s.step]));
      case 'skipped':
        return t('path.nothingToUndo');
      default:
        return '';
    }
  }

  /** Retries and deadlines of a step, as one line. */
  function stepCounters(s) {
    const parts = [];
    if (s.step === 'NOTIFY_CUSTOMER') {
      if (s.commands > 1) parts.push(t('path.notices', s.commands));
    } else if (s.commands > 1) {
      parts.push(t('path.retries', s.commands - 1));
    }
    if (s.timeouts) parts.push(t('path.timeouts', s.timeouts));
    return parts.join(' · ');
  }

  const BOX = { width: 216, height: 98, gap: 36, left: 88, top: 30, lanes: 170 };

  /** The saga's path as SVG: the forward lane above, the undo lane below, each step marked. */
  function drawPath(path, status) {
    const x = (i) => BOX.left + i * (BOX.width + BOX.gap);
    const laneY = { forward: BOX.top, undo: BOX.top + BOX.lanes };
    const width = x(4) - BOX.gap + 8;
    const height = laneY.undo + BOX.height + 10;
    const box = {};
    const parts = [
      svg('defs', {}, svg('marker', { id: 'path-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))),
      svg('text', { x: 6, y: laneY.forward + 52, class: 'lane-label' }, t('path.forward')),
      svg('text', { x: 6, y: laneY.undo + 52, class: 'lane-label' }, t('path.undo')),
    ];
    for (const [lane, steps] of [['forward', path.forward], ['undo', path.undo]]) {
      steps.forEach((step, i) => {
        box[step] = { x: x(i), y: laneY[lane] };
        if (i > 0) {
          const reached = !['not-reached', 'skipped'].includes(path.steps[step].mark);
          parts.push(svg('line', { x1: x(i - 1) + BOX.width, y1: laneY[lane] + BOX.height / 2,
            x2: x(i) - 2, y2: laneY[lane] + BOX.height / 2, class: 'arrow' + (reached ? ' reached' : ''),
            'marker-end': 'url(#path-arrow)' }));
        }
      });
    }
    // where the saga turned back: from the last forward step it ran to the first undo step it ran
    const ran = (step) => ['done', 'in-progress', 'failed', 'undone'].includes(path.steps[step].mark);
    const turnedAt = path.forward.filter((step) => path.steps[step].mark !== 'not-reached').pop();
    const firstUndo = path.undo.find(ran);
    if (turnedAt && firstUndo) {
      const from = box[turnedAt];
      const to = box[firstUndo];
      const midY = laneY.forward + BOX.height + (BOX.lanes - BOX.height) / 2;
      parts.push(svg('path', { class: 'turn', 'marker-end': 'url(#path-arrow)',
        d: 'M' + (from.x + BOX.width / 2) + ',' + (from.y + BOX.height) + ' V' + midY
          + ' H' + (to.x + BOX.width / 2) + ' V' + (to.y - 2) }));
    }
    for (const step of path.forward.concat(path.undo)) {
      parts.push(stepBox(path.steps[step], status, box[step]));
    }
    return svg('svg', { id: 'saga-path-svg', class: 'saga-path', viewBox: '0 0 ' + width + ' ' + height,
      role: 'group', 'aria-label': t('path.label') }, parts);
  }

  function stepBox(s, status, at) {
    const mark = t('mark.' + s.mark) + (s.parked ? t('mark.parked') : '')
      + (s.current && status.stuck ? t('mark.stuck') : '');
    const detail = stepDetail(s, status);
    const counters = stepCounters(s);
    const actions = s.actions.map((a) => a.action);
    const actionNames = actions.map((a) => t('action.' + a)).join(', ');
    const tooltip = [stepTitle(s.step) + ' (' + s.step + '): ' + mark, detail, counters]
      .concat(s.actions.map((a) => t('path.operatorBy', t('action.' + a.action), a.operator, a.reason)))
      .concat(s.notes, [t('path.click')])
      .filter(Boolean).join('\n');
    const toggle = () => toggleStepFilter(s.step);
    return svg('g', {
      class: 'step mark-' + s.mark + (s.current ? ' current' : ''),
      transform: 'translate(' + at.x + ',' + at.y + ')',
      'data-step': s.step,
      'data-mark': s.mark,
      'data-attempt': s.mark === 'in-progress' ? status.attempt : null,
      'data-retries': s.step === 'NOTIFY_CUSTOMER' ? null : Math.max(0, s.commands - 1),
      'data-timeouts': s.timeouts,
      'data-actions': actions.join(','),
      tabindex: 0,
      role: 'button',
      'aria-pressed': 'false',
      onclick: toggle,
      onkeydown: (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          toggle();
        }
      },
    },
    svg('title', {}, tooltip),
    svg('rect', { class: 'box', width: BOX.width, height: BOX.height, rx: 8, ry: 8 }),
    svg('circle', { class: 'dot', cx: BOX.width - 16, cy: 17, r: 6 }),
    svg('text', { x: 12, y: 21, class: 'step-name' }, stepTitle(s.step)),
    svg('text', { x: 12, y: 40, class: 'step-mark' }, mark),
    svg('text', { x: 12, y: 57, class: 'step-detail' }, fit(detail, 32)),
    svg('text', { x: 12, y: 74, class: 'step-counters' }, fit(counters || s.notes[0] || '', 32)),
    svg('text', { x: 12, y: 90, class: 'step-actions' },
      actions.length ? fit(t('path.operator', actionNames), 32)
        : counters && s.notes.length ? fit(s.notes[0], 32) : ''));
  }

  function toggleStepFilter(step) {
    if (!current) return;
    stepFilter = stepFilter && stepFilter.step === step ? null : { orderId: current.orderId, step };
    applyStepFilter();
  }

  /** Shows only the chosen step's rows of the timeline (all when none is chosen). */
  function applyStepFilter() {
    const step = stepFilter && current && stepFilter.orderId === current.orderId ? stepFilter.step : null;
    const rows = [...$('saga-timeline').tBodies[0].rows];
    let shown = 0;
    rows.forEach((row) => {
      const visible = !step || row.dataset.step === step;
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    document.querySelectorAll('#saga-path .step').forEach((g) => {
      const chosen = g.dataset.step === step;
      g.classList.toggle('selected', chosen);
      g.setAttribute('aria-pressed', String(chosen));
    });
    $('timeline-filter-text').textContent = step ? 'Showing the ' + plural(shown, 'message', 'messages')
      + ' of ' + step + ' (of ' + rows.length + ').' : '';
    show($('timeline-filter'), Boolean(step));
  }

  function legend() {
    return MARKS.map((mark) =>
      h('span', { class: 'legend-item', 'data-mark': mark }, h('span', { class: 'swatch mark-' + mark }),
        t('mark.' + mark)));
  }

  // ------------------------------------------------------------------ one action: compose, confirm, send
  let pending = null; // { action, orderId }

  function openAction(action) {
    if (!current || !current.detail) return;
    const s = current.detail.status;
    pending = { action, orderId: current.orderId };
    const [title, what] = ACTION_TEXT[action];
    $('action-title').textContent = title + ' saga ' + current.orderId;
    $('action-what').textContent = what + ' It stands at ' + s.state + (s.step ? ', ' + s.step
      + ', attempt ' + s.attempt : '') + '.';
    $('action-reason').value = '';
    const resume = action === 'resume';
    show($('action-resume-fields'), resume);
    if (resume) {
      const step = FORWARD_STEPS[s.step] ? s.step : 'AUTHORIZE_PAYMENT';
      $('action-from-step').value = step;
      prefillInput(step);
    }
    stepTo('compose');
    $('action-dialog').showModal();
    $('action-reason').focus();
  }

  /** Resume's input starts as the last command the saga sent for that step. */
  function prefillInput(step) {
    const command = FORWARD_STEPS[step];
    const sent = current.detail.timeline
      .filter((e) => e.direction === 'out' && String(e.type).endsWith('.' + command));
    const last = sent[sent.length - 1];
    $('action-input').value = last ? json(last.payload) : '{\n}';
  }

  function stepTo(stage) {
    const compose = stage === 'compose';
    show($('action-compose'), compose);
    show($('action-confirm-step'), !compose);
    show($('action-review'), compose);
    show($('action-back'), !compose);
    show($('action-confirm'), !compose);
    $('action-confirm').disabled = false;
    message($('action-message'), '', 'error');
  }

  function reviewAction() {
    const reason = $('action-reason').value.trim();
    if (!reason) {
      message($('action-message'), 'Give a reason: it goes to the audit log.', 'error');
      return;
    }
    pending.reason = reason;
    pending.body = { reason };
    // one key per reviewed action: confirming it again (a double click, after a failure) acts once
    pending.key = newIdempotencyKey();
    if (pending.action === 'resume') {
      let input;
      try {
        input = JSON.parse($('action-input').value);
      } catch (e) {
        message($('action-message'), 'The input is not JSON: ' + e.message, 'error');
        return;
      }
      pending.body = { fromStep: $('action-from-step').value, input, reason };
    }
    const [title] = ACTION_TEXT[pending.action];
    const s = current.detail.status;
    $('action-summary').textContent = title + ' saga ' + pending.orderId + ' (now ' + s.state
      + (s.step ? ' at ' + s.step + ', attempt ' + s.attempt : '') + ')'
      + (pending.action === 'resume' ? ' from ' + pending.body.fromStep + ' with this input' : '')
      + '. Reason: "' + reason + '". Go ahead?';
    const inputView = $('action-summary-input');
    inputView.textContent = pending.action === 'resume' ? json(pending.body.input) : '';
    show(inputView, pending.action === 'resume');
    $('action-confirm').textContent = 'Yes, ' + pending.action;
    stepTo('confirm');
  }

  /**
   * Sends the request a dialog (`name`: its -dialog, -confirm button and -message) was confirmed
   * for, by `send`, under the dialog's idempotency key. Gives `{ status, data }` or `{ error }` to
   * show; or null when the dialog stays: for another confirm (the request still runs, or may have
   * arrived: the same key makes it at most once), back at `compose` for input to correct (400), or
   * closed (401, 403: the sign-in took over).
   */
  async function sendFromDialog(name, compose, send) {
    const note = $(name + '-message');
    try {
      const { status, data } = await send();
      if (mayRepeat(status, data)) {
        $(name + '-confirm').disabled = false;
        message(note, describe(new ApiError(status, data, '')) + ' Confirm again '
          + 'in a moment for its result.', 'error');
        return null;
      }
      if (status === 400) {
        // bad input stays in the dialog, to be corrected
        compose();
        message(note, describe(new ApiError(status, data, '')), 'error');
        return null;
      }
      return { status, data };
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        $(name + '-dialog').close();
        return null;
      }
      if (mayRepeat(e.status, e.problem)) {
        // it may have arrived: confirming again sends the same request under the same key
        $(name + '-confirm').disabled = false;
        message(note, describe(e) + '. Confirm again to send the same request: it '
          + 'is done at most once.', 'error');
        return null;
      }
      return { error: e };
    }
  }

  async function confirmAction() {
    const { action, orderId, body, key } = pending;
    $('action-confirm').disabled = true;
    message($('action-message'), 'Sending, then checking that the saga took it…', '');
    const outcome = await sendFromDialog('action', () => stepTo('compose'),
      () => api('POST', 'sagas/' + encodeURIComponent(orderId) + '/' + action,
        body, [400, 404, 409], key));
    if (!outcome) return;
    $('action-dialog').close();
    $('action-result').replaceChildren(actionResult(action, orderId, outcome));
    if (current && current.orderId === orderId) {
      current.fingerprint = null;
      await refreshSaga(true);
    }
  }

  /** The checked result of an action: outcome, verified, where the saga stood before and after. */
  function actionResult(action, orderId, { status, data, error }) {
    const title = ACTION_TEXT[action][0] + ' of ' + orderId;
    if (error) {
      return h('div', { class: 'result result-refused' },
        h('h3', {}, title, ': ', h('span', { id: 'action-outcome', class: 'outcome' }, 'FAILED')),
        h('p', {}, describe(error)));
    }
    if (status === 409 || status === 404) {
      const outcome = status === 409 ? 'REFUSED' : 'NOT_FOUND';
      return h('div', { class: 'result result-refused' },
        h('h3', {}, title, ': ', h('span', { id: 'action-outcome', class: 'outcome' }, outcome)),
        h('p', {}, OUTCOME_TEXT[outcome] + ' ' + (data && data.detail || '')),
        data && data.state ? h('p', {}, 'The saga is ', stateBadge(data.state), '.') : '');
    }
    const r = data;
    const fields = ['state', 'step', 'attempt', 'parkedFrom', 'heldReply'];
    const before = r.before || {};
    const after = r.after || {};
    return h('div', { class: 'result result-' + String(r.outcome).toLowerCase() },
      h('h3', {}, title, ': ', h('span', { id: 'action-outcome', class: 'outcome' }, r.outcome)),
      h('p', {}, OUTCOME_TEXT[r.outcome] || '', ' Verified: ',
        h('strong', { id: 'action-verified' }, r.verified ? 'yes' : 'no'), '.',
        r.detail ? ' ' + r.detail : ''),
      h('table', { class: 'list compact', id: 'action-before-after' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'before'), h('th', {}, 'after'))),
        h('tbody', {}, fields.map((f) => {
          const a = before[f] === null || before[f] === undefined ? '' : before[f];
          const b = after[f] === null || after[f] === undefined ? '' : after[f];
          return h('tr', { class: a === b ? '' : 'changed', 'data-field': f },
            h('th', {}, f), h('td', {}, String(a)), h('td', {}, String(b)));
        }))),
      r.actionId ? h('p', { class: 'subtle small' }, 'action id ' + r.actionId) : '');
  }

  // ------------------------------------------------------------------ parked broker messages
  let parkedQueue = null; // the queue chosen, or null
  let parkedCount = null; // how many are parked from it, at the last count
  let redrive = null; // the re-drive being composed or confirmed: { queue, limit, reason, key }

  const messages = (n) => n + (n === 1 ? ' message' : ' messages');

  async function showParked(queue) {
    parkedQueue = queue;
    parkedCount = null;
    clear($('redrive-result'));
    show($('parked-queue-card'), !!queue);
    if (queue) {
      $('parked-queue-name').textContent = queue;
      $('parked-queue-count').textContent = '';
      clear($('parked-messages').tBodies[0]);
    }
    await Promise.all([loadParkedQueues(), queue ? loadParkedMessages(queue) : null]);
  }

  /** Every queue of the topology with its count, those with parked messages first. */
  async function loadParkedQueues() {
    const note = $('parked-queues-message');
    message(note, 'Loading…');
    try {
      const { data } = await api('GET', 'parked');
      $('parked-total').textContent = '(' + messages(data.total) + ')';
      $('parked-queues').tBodies[0].replaceChildren(...data.queues.map(parkedQueueRow));
      message(note, data.total ? '' : 'Nothing is parked.');
      if (parkedQueue) {
        const chosen = data.queues.find((q) => q.queue === parkedQueue);
        parkedCount = chosen ? chosen.parked : null;
        $('parked-queue-count').textContent = chosen ? '(' + chosen.parked + ' parked)' : '';
      }
    } catch (e) {
      showError(note, e);
    }
  }

  function parkedQueueRow(q) {
    const classes = [q.parked > 0 ? 'parked-some' : '', q.queue === parkedQueue ? 'selected' : '']
      .filter(Boolean).join(' ');
    return h('tr', { 'data-queue': q.queue, class: classes || null },
      h('td', {}, h('a', { href: '#/parked/' + encodeURIComponent(q.queue), class: 'mono' }, q.queue)),
      h('td', { class: 'number', 'data-field': 'parked' }, q.parked),
      h('td', { class: 'mono small' }, q.parkingQueue,
        q.missing ? h('div', { class: 'message error' }, 'missing on the broker: nothing can be '
          + 'parked from this queue until its service declares it again') : ''));
  }

  async function loadParkedMessages(queue) {
    const note = $('parked-messages-message');
    message(note, 'Loading…');
    try {
      const { data } = await api('GET', 'parked/' + encodeURIComponent(queue)
        + query({ limit: $('parked-limit').value }));
      if (parkedQueue !== queue) return;
      $('parked-messages').tBodies[0].replaceChildren(...data.messages.map(parkedMessageRow));
      message(note, data.messages.length ? '' : 'No message is parked from ' + queue + '.');
    } catch (e) {
      showError(note, e);
    }
  }

  /** A parked message; its body is shown as text (JSON indented), never as markup. */
  function parkedMessageRow(m) {
    const exception = m.exception ? m.exception.slice(m.exception.lastIndexOf('.') + 1) : '';
    const body = m.body !== null && m.body !== undefined ? json(m.body) : (m.bodyText || '');
    return h('tr', { 'data-message-id': m.messageId },
      h('td', { class: 'mono small' }, m.messageId || '(no id)'),
      h('td', { class: 'mono' }, m.type || ''),
      h('td', {}, m.sagaId ? sagaLink(m.sagaId) : ''),
      h('td', {}, m.reason || '', m.detail ? h('div', { class: 'mono small' }, m.detail) : '',
        m.deliveries ? h('div', { class: 'subtle' }, 'after '
        + m.deliveries + (m.deliveries === '1' ? ' delivery' : ' deliveries')) : ''),
      h('td', { class: 'reason' }, exception ? h('div', { class: 'mono', title: m.exception }, exception) : '',
        m.exceptionMessage || ''),
      h('td', {}, time(m.parkedAt), m.parkedBy ? h('div', { class: 'subtle' }, 'by ' + m.parkedBy) : ''),
      h('td', {}, h('pre', { class: 'mono body' }, body)));
  }

  function openRedrive() {
    if (!parkedQueue) return;
    redrive = { queue: parkedQueue };
    const count = $('parked-messages').tBodies[0].rows.length;
    $('redrive-title').textContent = 'Re-drive parked messages of ' + parkedQueue;
    $('redrive-what').textContent = 'Sends the oldest parked messages back to ' + parkedQueue
      + ', to be consumed again with a fresh delivery count.'
      + (parkedCount === null ? '' : ' ' + messages(parkedCount) + ' parked at the last count.');
    $('redrive-limit').value = String(Math.max(1, Math.min(count || 1, 100)));
    $('redrive-reason').value = '';
    redriveStep('compose');
    $('redrive-dialog').showModal();
    $('redrive-reason').focus();
  }

  function redriveStep(stage) {
    const compose = stage === 'compose';
    show($('redrive-compose'), compose);
    show($('redrive-confirm-step'), !compose);
    show($('redrive-review'), compose);
    show($('redrive-back'), !compose);
    show($('redrive-confirm'), !compose);
    $('redrive-confirm').disabled = false;
    message($('redrive-message'), '', 'error');
  }

  function reviewRedrive() {
    const limit = Number($('redrive-limit').value);
    const reason = $('redrive-reason').value.trim();
    if (!Number.isInteger(limit) || limit < 1) {
      message($('redrive-message'), 'How many: a whole number, 1 or more.', 'error');
      return;
    }
    if (!reason) {
      message($('redrive-message'), 'Give a reason: it goes to the audit log.', 'error');
      return;
    }
    // one key per reviewed re-drive: confirming it again (a double click, after a failure) acts once
    Object.assign(redrive, { limit, reason, key: newIdempotencyKey() });
    $('redrive-summary').textContent = 'Re-drive the oldest ' + messages(limit) + ' parked from '
      + redrive.queue + ' back to it. Reason: "' + reason + '". Go ahead?';
    redriveStep('confirm');
  }

  async function confirmRedrive() {
    const { queue, limit, reason, key } = redrive;
    $('redrive-confirm').disabled = true;
    message($('redrive-message'), 'Re-driving…', '');
    const sent = await sendFromDialog('redrive', () => redriveStep('compose'),
      () => api('POST', 'parked/' + encodeURIComponent(queue) + '/redrive',
        { limit, reason }, [400, 409], key));
    if (!sent) return;
    const outcome = sent.status === 409 ? { error: new ApiError(sent.status, sent.data, '') } : sent;
    $('redrive-dialog').close();
    if (parkedQueue !== queue) return;
    $('redrive-result').replaceChildren(redriveResult(queue, reason, outcome));
    await Promise.all([loadParkedQueues(), loadParkedMessages(queue)]);
  }

  /** How many went back, and which. */
  function redriveResult(queue, reason, { data, error }) {
    if (error) {
      return h('div', { class: 'result result-refused' },
        h('h3', {}, 'Re-drive of ' + queue + ': ',
          h('span', { id: 'redrive-outcome', class: 'outcome' }, 'FAILED')),
        h('p', {}, describe(error)));
    }
    const ids = data.messages.slice(0, data.redriven).map((m) => m.messageId);
    return h('div', { class: 'result result-verified' },
      h('h3', {}, 'Re-drive of ' + queue + ': ',
        h('span', { id: 'redrive-outcome', class: 'outcome outcome-done' }, 'DONE')),
      h('p', {}, 'Re-drove ', h('strong', { id: 'redrive-count' }, data.redriven),
        (data.redriven === 1 ? ' message' : ' messages') + ' (at most ' + data.limit + ') back to '
        + data.queue + '. Reason: "' + reason + '".'),
      ids.length ? h('p', { class: 'mono small' }, ids.join(', ')) : '');
  }

  // ------------------------------------------------------------------ audit log
  let auditParams = new URLSearchParams();

  function auditRow(entry) {
    const ids = entry.orderIds || [];
    const shown = ids.slice(0, 5);
    return h('tr', { 'data-audit-id': entry.id },
      h('td', {}, time(entry.at)),
      h('td', {}, entry.who),
      h('td', {}, entry.action, entry.dryRun ? h('span', { class: 'tag' }, 'dry run') : ''),
      h('td', {}, h('span', { class: 'outcome outcome-' + String(entry.outcome).toLowerCase() },
        entry.outcome)),
      h('td', { class: 'reason' }, entry.reason),
      h('td', {}, shown.map((id) => h('div', {}, sagaLink(id))),
        ids.length > shown.length ? h('div', { class: 'subtle' }, 'and ' + (ids.length - shown.length)
          + ' more') : '',
        entry.queue ? h('div', { class: 'mono' }, 'queue ' + entry.queue) : ''),
      h('td', {}, jsonDetails('request', entry.request), jsonDetails('result', entry.result)));
  }

  async function showAudit(params) {
    auditParams = params;
    $('audit-who').value = params.get('who') || '';
    $('audit-action').value = params.get('action') || '';
    $('audit-order').value = params.get('orderId') || '';
    $('audit-from').value = params.get('from') || '';
    $('audit-to').value = params.get('to') || '';
    $('audit-limit').value = params.get('limit') || '50';
    clear($('audit-list').tBodies[0]);
    await loadAudit(null);
  }

  function loadAudit(cursor) {
    return loadPage(cursor, {
      path: 'audit', keys: AUDIT_KEYS, params: auditParams, table: $('audit-list'),
      note: $('audit-message'), more: $('audit-more'), row: auditRow,
      empty: 'No audit entry matches.',
    });
  }

  function applyAudit(event) {
    event.preventDefault();
    const target = '#/audit' + query({
      who: $('audit-who').value.trim(),
      action: $('audit-action').value,
      orderId: $('audit-order').value.trim(),
      from: $('audit-from').value.trim(),
      to: $('audit-to').value.trim(),
      limit: $('audit-limit').value,
    });
    if (location.hash === target) route(); else location.hash = target;
  }

  // ------------------------------------------------------------------ wiring
  function options(select, values, anyLabel) {
    select.replaceChildren(
      ...(anyLabel ? [h('option', { value: '' }, anyLabel)] : []),
      ...values.map((v) => h('option', { value: v }, v)));
  }

  /**
   * Puts the chosen language's words on the page: the fixed ones (data-i18n for text,
   * data-i18n-title for a tooltip), the legend, and whatever is drawn (the overview, the saga's
   * page) drawn again from what was last read.
   */
  function applyLanguage() {
    document.documentElement.lang = language;
    document.querySelectorAll('[data-i18n]').forEach((node) => {
      node.textContent = t(node.dataset.i18n);
    });
    document.querySelectorAll('[data-i18n-title]').forEach((node) => {
      node.title = t(node.dataset.i18nTitle);
    });
    document.querySelectorAll('#language button').forEach((button) => {
      button.setAttribute('aria-pressed', String(button.dataset.language === language));
    });
    $('saga-path-legend').replaceChildren(...legend());
  }

  function chooseLanguage(chosen) {
    if (!LANGUAGES.includes(chosen) || chosen === language) return;
    language = chosen;
    try {
      localStorage.setItem(LANGUAGE_KEY, chosen);
    } catch (e) {
      // a browser that keeps nothing: the choice holds for this page only
    }
    applyLanguage();
    if (!$('overview-view').hidden) loadOverview(false);
    if (!$('saga-view').hidden && current && current.detail) renderSaga(current.detail);
  }

  function init() {
    $('language').replaceChildren(...LANGUAGES.map((code) =>
      h('button', { type: 'button', class: 'link', lang: code, 'data-language': code,
        onclick: () => chooseLanguage(code) }, MESSAGES[code]['language.name'])));
    applyLanguage();
    $('filter-states').replaceChildren(...STATES.map((state) =>
      h('label', { class: 'check' }, h('input', { type: 'checkbox', value: state, name: 'state' }),
        ' ', stateBadge(state))));
    options($('filter-step'), STEPS, 'any');
    options($('filter-reason'), REASONS, 'any');
    options($('action-from-step'), Object.keys(FORWARD_STEPS));
    options($('audit-action'), ACTIONS.concat(ACTIONS.filter((a) => a !== 'resume')
      .map((a) => 'bulk-' + a), ['redrive']), 'any');

    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut(''));
    $('filter-form').addEventListener('submit', applyFilter);
    $('canary-form').addEventListener('submit', setCanary);
    $('filter-clear').addEventListener('click', () => { location.hash = '#/sagas'; });
    $('saga-reload').addEventListener('click', route);
    $('saga-more').addEventListener('click', () => loadSagas($('saga-more').dataset.cursor));
    $('bulk-form').addEventListener('submit', runDry);
    $('bulk-action').addEventListener('change', invalidateDryRun);
    $('bulk-max').addEventListener('input', invalidateDryRun);
    $('bulk-run').addEventListener('click', askRunForReal);
    $('bulk-cancel').addEventListener('click', () => $('bulk-dialog').close());
    $('bulk-confirm').addEventListener('click', runForReal);
    $('saga-refresh').addEventListener('click', () => {
      if (current) current.fingerprint = null;
      refreshSaga(false);
    });
    $('saga-watch').addEventListener('change', scheduleWatch);
    $('timeline-show-all').addEventListener('click', () => {
      stepFilter = null;
      applyStepFilter();
    });
    $('overview-refresh').addEventListener('click', () => loadOverview(true));
    $('overview-watch').addEventListener('change', scheduleOverview);
    document.querySelectorAll('#saga-actions button').forEach((button) =>
      button.addEventListener('click', () => openAction(button.dataset.action)));
    $('action-from-step').addEventListener('change', () => prefillInput($('action-from-step').value));
    $('action-cancel').addEventListener('click', () => $('action-dialog').close());
    $('action-back').addEventListener('click', () => stepTo('compose'));
    $('action-review').addEventListener('click', reviewAction);
    $('action-confirm').addEventListener('click', confirmAction);
    $('action-form').addEventListener('submit', (e) => e.preventDefault());
    $('parked-reload').addEventListener('click', route);
    $('parked-refresh').addEventListener('click', route);
    $('parked-limit').addEventListener('change', () => {
      if (parkedQueue) loadParkedMessages(parkedQueue);
    });
    $('redrive-open').addEventListener('click', openRedrive);
    $('redrive-cancel').addEventListener('click', () => $('redrive-dialog').close());
    $('redrive-back').addEventListener('click', () => redriveStep('compose'));
    $('redrive-review').addEventListener('click', reviewRedrive);
    $('redrive-confirm').addEventListener('click', confirmRedrive);
    $('redrive-form').addEventListener('submit', (e) => e.preventDefault());
    $('audit-form').addEventListener('submit', applyAudit);
    $('audit-clear').addEventListener('click', () => { location.hash = '#/audit'; });
    $('audit-more').addEventListener('click', () => loadAudit($('audit-more').dataset.cursor));
    window.addEventListener('hashchange', route);
    route();
  }

  init();
})();
