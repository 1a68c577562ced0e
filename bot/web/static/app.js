// crmbot's Mini App: the pipeline board, the customer list and card, my tasks and the stats.
// Plain JavaScript, no build step and no external requests. Data from the API is only ever
// put on the page as text (textContent / text nodes), never as HTML.
"use strict";

(() => {
  // -- strings (every one in English and Chinese) ------------------------------------------

  const STRINGS = {
    en: {
      "tab.board": "Pipeline",
      "tab.customers": "Customers",
      "tab.tasks": "My tasks",
      "tab.stats": "Stats",
      loading: "Loading…",
      "team.label": "Team",
      "role.manager": "manager",
      "role.rep": "rep",
      back: "Back",
      none: "—",
      "board.empty": "No customers at this stage.",
      "board.more": "+{n} more",
      "list.search": "Search customers",
      "list.all_stages": "All stages",
      "list.empty": "No customers found.",
      "list.more": "Show more",
      "list.total": "{n} found",
      "card.stage": "Stage",
      "card.owner": "Owner",
      "card.channel": "Channel",
      "card.partner": "Partner",
      "card.amount": "Amount",
      "card.last_activity": "Last activity",
      "card.phone": "Phone",
      "card.email": "Email",
      "card.contact": "Contact",
      "card.address": "Address",
      "card.timeline": "Timeline",
      "card.timeline_empty": "Nothing logged yet.",
      "card.tasks": "Open tasks",
      "card.tasks_empty": "No open tasks.",
      "stage.changed": "{customer} → {stage}",
      "task.done": "Done",
      "task.closed": "Task #{n} done",
      "task.due": "due {when}",
      "task.overdue": "overdue",
      "tasks.empty": "No open tasks.",
      "tasks.all": "Whole team",
      "stats.week": "This week",
      "stats.month": "This month",
      "stats.last_month": "Last month",
      "stats.leads": "Leads",
      "stats.visits": "Visits",
      "stats.activities": "Activities",
      "stats.wins": "Wins",
      "stats.losses": "Losses",
      "stats.revenue": "Revenue",
      "stats.win_rate": "Win rate",
      "stats.conversion": "Lead conversion",
      "stats.followups_due": "Follow-ups due",
      "stats.followups_on_time": "On time",
      "stats.on_time_rate": "On-time rate",
      "stats.avg_days_to_close": "Days to close",
      "stats.kind.channel": "By channel",
      "stats.kind.rep": "By rep",
      "stats.kind.partner": "By partner",
      "stats.chart": "{metric} by {kind}",
      "stats.name": "Name",
      "stats.empty": "No numbers for this period yet.",
      "error.401.title": "Open this from Telegram",
      "error.401.text":
        "This page works only when it is opened from crmbot's button in Telegram, which tells it who you are. Open it again from your team's chat.",
      "error.403.title": "You are not a member of this team",
      "error.403.text": "Ask the team's manager to add you to the group, then open the app again.",
      "error.network.title": "crmbot cannot be reached",
      "error.network.text": "Check your connection and try again.",
      "error.no_teams.title": "No team yet",
      "error.no_teams.text":
        "You are not a member of an active crmbot team. Add the bot to your sales group and send /setup there.",
      "error.not_manager": "Only the team's managers can do that.",
      "error.forbidden": "Only the owner or a manager can do that.",
      "error.not_found": "It is no longer there: it may have been closed or deleted.",
      "error.bad_request": "crmbot could not do that.",
      "error.generic": "Something went wrong. Try again.",
      retry: "Try again",
    },
    zh: {
      "tab.board": "销售看板",
      "tab.customers": "客户",
      "tab.tasks": "我的待办",
      "tab.stats": "统计",
      loading: "加载中…",
      "team.label": "团队",
      "role.manager": "经理",
      "role.rep": "销售",
      back: "返回",
      none: "—",
      "board.empty": "这个阶段还没有客户。",
      "board.more": "还有 {n} 个",
      "list.search": "搜索客户",
      "list.all_stages": "全部阶段",
      "list.empty": "没有找到客户。",
      "list.more": "显示更多",
      "list.total": "共 {n} 个",
      "card.stage": "阶段",
      "card.owner": "负责人",
      "card.channel": "渠道",
      "card.partner": "合作伙伴",
      "card.amount": "金额",
      "card.last_activity": "最近动态",
      "card.phone": "电话",
      "card.email": "邮箱",
      "card.contact": "联系人",
      "card.address": "地址",
      "card.timeline": "动态",
      "card.timeline_empty": "还没有记录。",
      "card.tasks": "待办",
      "card.tasks_empty": "没有待办。",
      "stage.changed": "{customer} → {stage}",
      "task.done": "完成",
      "task.closed": "待办 #{n} 已完成",
      "task.due": "{when} 到期",
      "task.overdue": "已逾期",
      "tasks.empty": "没有待办。",
      "tasks.all": "全团队",
      "stats.week": "本周",
      "stats.month": "本月",
      "stats.last_month": "上月",
      "stats.leads": "线索",
      "stats.visits": "拜访",
      "stats.activities": "动态",
      "stats.wins": "成交",
      "stats.losses": "丢单",
      "stats.revenue": "成交额",
      "stats.win_rate": "赢单率",
      "stats.conversion": "线索转化率",
      "stats.followups_due": "到期跟进",
      "stats.followups_on_time": "按时跟进",
      "stats.on_time_rate": "按时率",
      "stats.avg_days_to_close": "平均成交天数",
      "stats.kind.channel": "按渠道",
      "stats.kind.rep": "按销售",
      "stats.kind.partner": "按合作伙伴",
      "stats.chart": "{kind}的{metric}",
      "stats.name": "名称",
      "stats.empty": "这个时段还没有数据。",
      "error.401.title": "请从 Telegram 打开",
      "error.401.text": "这个页面只能从 Telegram 里 crmbot 的按钮打开，这样才知道你是谁。请回到团队群里重新打开。",
      "error.403.title": "你不是这个团队的成员",
      "error.403.text": "请团队经理把你加进群，然后重新打开。",
      "error.network.title": "连不上 crmbot",
      "error.network.text": "请检查网络后重试。",
      "error.no_teams.title": "还没有团队",
      "error.no_teams.text": "你还不在任何已启用的 crmbot 团队里。把机器人加进销售群，在群里发送 /setup。",
      "error.not_manager": "只有团队经理能这样做。",
      "error.forbidden": "只有负责人或经理能这样做。",
      "error.not_found": "找不到了：可能已被关闭或删除。",
      "error.bad_request": "crmbot 无法完成这个操作。",
      "error.generic": "出了点问题，请重试。",
      retry: "重试",
    },
  };

  let lang = "en";

  function t(key, vars) {
    const text = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.en[key] || key;
    return vars ? text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? "")) : text;
  }

  function setLanguage(code) {
    lang = code && String(code).toLowerCase().startsWith("zh") ? "zh" : "en";
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    for (const button of document.querySelectorAll("[data-tab]")) {
      button.textContent = t("tab." + button.dataset.tab);
    }
    document.getElementById("back").setAttribute("aria-label", t("back"));
    document.getElementById("team").setAttribute("aria-label", t("team.label"));
  }

  // -- launch parameters -------------------------------------------------------------------

  // Telegram's script is optional: without it the launch parameters are in the URL fragment.
  const TG = (window.Telegram && window.Telegram.WebApp) || null;

  function decode(text) {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  }

  // The fragment is parsed by hand, not with URLSearchParams: that one also turns '+' into a
  // space, and tgWebAppData must come out exactly as Telegram signed it (decoded once).
  function parseParams(text) {
    const params = {};
    for (const part of text.replace(/^[#?]/, "").split("&")) {
      if (!part) continue;
      const at = part.indexOf("=");
      const key = decode(at < 0 ? part : part.slice(0, at));
      params[key] = at < 0 ? "" : decode(part.slice(at + 1));
    }
    return params;
  }

  function readLaunch() {
    const fragment = parseParams(location.hash);
    const query = parseParams(location.search);
    const initData = (TG && TG.initData) || fragment.tgWebAppData || "";
    const fields = new URLSearchParams(initData);
    let user = null;
    try {
      user = JSON.parse(fields.get("user") || "null");
    } catch {
      user = null;
    }
    let theme = (TG && TG.themeParams && Object.keys(TG.themeParams).length && TG.themeParams) || null;
    if (!theme && fragment.tgWebAppThemeParams) {
      try {
        theme = JSON.parse(fragment.tgWebAppThemeParams);
      } catch {
        theme = null;
      }
    }
    const startParam =
      fields.get("start_param") ||
      (TG && TG.initDataUnsafe && TG.initDataUnsafe.start_param) ||
      fragment.tgWebAppStartParam ||
      query.tgWebAppStartParam ||
      "";
    return { initData, user, theme, startParam, native: Boolean(TG && TG.initData) };
  }

  const launch = readLaunch();

  // -- Telegram's look and feel ------------------------------------------------------------

  function applyTheme(theme) {
    if (!theme) return;
    const root = document.documentElement.style;
    for (const [name, value] of Object.entries(theme)) {
      // Only colours: a theme value goes into CSS, so nothing else is let through.
      if (/^[a-z_]+$/.test(name) && /^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
        root.setProperty("--tg-theme-" + name.replace(/_/g, "-"), String(value));
      }
    }
    // Native controls and scrollbars follow a dark theme too.
    const bg = /^#([0-9a-fA-F]{6})$/.exec(String(theme.bg_color || ""));
    if (bg) {
      const [r, g, b] = [0, 2, 4].map((at) => parseInt(bg[1].slice(at, at + 2), 16));
      root.colorScheme = 0.299 * r + 0.587 * g + 0.114 * b < 128 ? "dark" : "light";
    }
  }

  function applyViewport() {
    const height = TG && (TG.viewportStableHeight || TG.viewportHeight);
    if (height) {
      document.documentElement.style.setProperty("--tg-viewport-height", height + "px");
    }
  }

  function call(fn) {
    // Telegram's methods log and ignore calls their client's version lacks; guard anyway.
    try {
      fn();
    } catch {
      /* an older Telegram client: the page works without it */
    }
  }

  function haptic(kind) {
    const feedback = TG && TG.HapticFeedback;
    if (!feedback) return;
    call(() =>
      kind === "success" ? feedback.notificationOccurred("success") : feedback.selectionChanged(),
    );
  }

  function setupTelegram() {
    applyTheme(launch.theme);
    if (!TG) return;
    call(() => TG.ready());
    call(() => TG.expand());
    applyViewport();
    call(() => TG.onEvent("viewportChanged", applyViewport));
    call(() => TG.onEvent("themeChanged", () => applyTheme(TG.themeParams)));
    call(() => TG.BackButton.onClick(goBack));
  }

  // -- formatting --------------------------------------------------------------------------

  const SYMBOLS = {
    CNY: "¥", USD: "$", EUR: "€", GBP: "£", HKD: "HK$", JPY: "JP¥", TWD: "NT$", SGD: "S$",
    AUD: "A$", CAD: "C$", NZD: "NZ$", MOP: "MOP$", KRW: "₩", INR: "₹", THB: "฿", MYR: "RM",
  };
  // Currencies Chinese readers count in 万, as the chat shows them (bot/i18n/format.py).
  const WAN = new Set(["CNY", "HKD", "TWD", "MOP"]);

  function formatAmount(amount, currency) {
    if (amount === null || amount === undefined || amount === "") return t("none");
    const value = Number(amount);
    if (!Number.isFinite(value)) return String(amount) + " " + (currency || "");
    const symbol = SYMBOLS[currency] || (currency ? currency + " " : "");
    const digits = (n, min) =>
      n.toLocaleString("en-US", { minimumFractionDigits: min, maximumFractionDigits: 2 });
    if (lang === "zh" && WAN.has(currency) && Math.abs(value) >= 10000) {
      const [unit, scale] = Math.abs(value) >= 1e8 ? ["亿", 1e8] : ["万", 1e4];
      return symbol + digits(value / scale, 0) + unit;
    }
    return symbol + digits(value, Number.isInteger(value) ? 0 : 2);
  }

  const formatters = new Map();

  function formatter(timeZone) {
    const key = lang + "|" + timeZone;
    if (!formatters.has(key)) {
      const options = {
        month: lang === "zh" ? "numeric" : "short",
        day: "numeric",
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        year: "numeric",
      };
      const locale = lang === "zh" ? "zh-CN" : "en-GB";
      try {
        formatters.set(key, new Intl.DateTimeFormat(locale, { ...options, timeZone }));
      } catch {
        formatters.set(key, new Intl.DateTimeFormat(locale, options)); // an unknown zone
      }
    }
    return formatters.get(key);
  }

  // "Mon 30 Nov 09:00" / "11月30日 周一 09:00" in the team's zone; the year only when not this one.
  function formatWhen(iso) {
    if (!iso) return t("none");
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return String(iso);
    const zone = (state.team && state.team.timezone) || undefined;
    const parts = {};
    for (const part of formatter(zone).formatToParts(when)) parts[part.type] = part.value;
    const thisYear = formatter(zone).formatToParts(new Date()).find((p) => p.type === "year");
    const showYear = !thisYear || thisYear.value !== parts.year;
    const time = parts.hour + ":" + parts.minute;
    if (lang === "zh") {
      const year = showYear ? parts.year + "年" : "";
      return `${year}${parts.month}月${parts.day}日 ${parts.weekday} ${time}`;
    }
    return `${parts.weekday} ${parts.day} ${parts.month}${showYear ? " " + parts.year : ""} ${time}`;
  }

  function percent(value) {
    return value === null || value === undefined ? t("none") : Math.round(value * 100) + "%";
  }

  // -- DOM helpers (text only) -------------------------------------------------------------

  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "on") {
        for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
      } else if (name === "text") {
        node.textContent = String(value);
      } else if (name in node && typeof value !== "string") {
        node[name] = value;
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const main = document.getElementById("main");
  const toastBox = document.getElementById("toast");
  let toastTimer = 0;

  function toast(text, kind) {
    toastBox.textContent = text;
    toastBox.className = "toast" + (kind ? " " + kind : "");
    toastBox.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (toastBox.hidden = true), 3500);
  }

  // -- the API -----------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message || code);
      this.status = status;
      this.code = code;
    }
  }

  const API = new URL("../api/", location.href);

  async function api(path, params, body) {
    const url = new URL(path, API);
    for (const [name, value] of Object.entries(params || {})) {
      if (value !== null && value !== undefined && value !== "") url.searchParams.set(name, value);
    }
    const headers = { Authorization: "tma " + launch.initData };
    if (body) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(url, {
        method: body ? "POST" : "GET",
        headers,
        body: body ? JSON.stringify(body) : undefined,
        cache: "no-store",
        credentials: "omit",
      });
    } catch (error) {
      throw new ApiError(0, "network", String(error));
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.error) || "http", data && data.message);
    }
    if (!data) throw new ApiError(response.status, "bad_response");
    return data;
  }

  const team = () => state.team.chat_id;

  // -- state and navigation ----------------------------------------------------------------

  const state = {
    me: null,
    team: null,
    // The first screen: the customer list and its search, the quickest way to a customer
    // between two meetings (two API calls; the board needs one per stage).
    tab: "customers",
    stack: [], // customer ids of the cards opened, newest last
    query: "",
    stage: "",
    allTasks: false,
    period: "month",
  };
  let renderSeq = 0;
  let rendered = false;

  function stageName(key) {
    const found = state.team && state.team.stages.find((stage) => stage.key === key);
    return found ? found.name : key;
  }

  function showBack(visible) {
    const back = document.getElementById("back");
    if (launch.native && TG && TG.BackButton) {
      call(() => (visible ? TG.BackButton.show() : TG.BackButton.hide()));
      back.hidden = true;
    } else {
      back.hidden = !visible;
    }
  }

  // The tab last looked at opens again next time (a webview without storage just forgets).
  const TAB_KEY = "crmbot.tab";

  function savedTab() {
    try {
      const tab = localStorage.getItem(TAB_KEY);
      return tab in VIEWS ? tab : state.tab;
    } catch {
      return state.tab;
    }
  }

  function selectTab(tab) {
    state.tab = tab;
    state.stack = [];
    try {
      localStorage.setItem(TAB_KEY, tab);
    } catch {
      /* storage is off: nothing to remember with */
    }
    render();
  }

  function openCustomer(id) {
    state.stack.push(id);
    render();
  }

  function goBack() {
    state.stack.pop();
    render();
  }

  // Render the current view; a slower earlier render never overwrites a newer one.
  async function render() {
    const seq = ++renderSeq;
    const cardId = state.stack[state.stack.length - 1];
    showBack(cardId !== undefined);
    for (const button of document.querySelectorAll("[data-tab]")) {
      button.classList.toggle("active", button.dataset.tab === state.tab && cardId === undefined);
    }
    const name = cardId !== undefined ? "card" : state.tab;
    const view = cardId !== undefined ? () => cardView(cardId) : VIEWS[state.tab];
    const place = (node) => {
      if (seq !== renderSeq) return;
      main.replaceChildren(node);
      // For benchmarks/bench_page.py: when the first screen was on the page, since navigation.
      if (!rendered) {
        rendered = true;
        performance.mark("crmbot:rendered:" + name);
      }
    };
    main.setAttribute("aria-busy", "true");
    try {
      place(await view());
    } catch (error) {
      if (seq === renderSeq) fail(error, render);
    } finally {
      main.removeAttribute("aria-busy");
    }
  }

  function screen(testid, title, text, action) {
    return h(
      "section",
      { class: "screen", "data-testid": testid },
      h("h2", { text: title }),
      h("p", { text }),
      action,
    );
  }

  // A failed load: a screen for 401, 403 and the network (or a server that is not ready, 5xx,
  // with a retry); a note for the rest.
  function fail(error, retry) {
    const status = error instanceof ApiError ? error.status : -1;
    if (status === 401) {
      document.getElementById("tabs").hidden = true;
      document.getElementById("team").hidden = true;
      showBack(false);
      main.replaceChildren(screen("error-401", t("error.401.title"), t("error.401.text")));
    } else if (status === 403 && error.code !== "not_manager") {
      main.replaceChildren(screen("error-403", t("error.403.title"), t("error.403.text")));
    } else if (status === 0 || status >= 500) {
      const button = h("button", {
        type: "button",
        class: "primary",
        "data-testid": "retry",
        text: t("retry"),
        on: { click: () => retry() },
      });
      main.replaceChildren(
        screen("error-network", t("error.network.title"), t("error.network.text"), button),
      );
    } else {
      main.replaceChildren(screen("error", errorText(error), ""));
      if (status < 0) console.error(error);
    }
  }

  function errorText(error) {
    if (!(error instanceof ApiError)) return t("error.generic");
    if (error.status === 0 || error.status >= 500) return t("error.network.title");
    if (error.status === 401) return t("error.401.title");
    if (error.code === "not_manager") return t("error.not_manager");
    if (error.status === 403) return t("error.forbidden");
    if (error.status === 404) return t("error.not_found");
    if (error.status === 400) return t("error.bad_request");
    return t("error.generic");
  }

  // An action (Done, a stage change): errors are a toast, except a lost login.
  async function act(fn) {
    try {
      await fn();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) fail(error);
      else toast(errorText(error), "bad");
      return false;
    }
  }

  // -- views -------------------------------------------------------------------------------

  const BOARD_NAMES = 8;

  async function boardView() {
    // One call for the whole pipeline: each stage's count and its first customers.
    const { stages } = await api("board", { team: team(), limit: BOARD_NAMES });
    const sections = stages.map((stage) => {
      const more = stage.total - stage.customers.length;
      return h(
        "section",
        { class: "column", "data-testid": "board-column", "data-stage": stage.key },
        h(
          "h2",
          {},
          h("span", { text: stage.name }),
          h("span", { class: "count", "data-testid": "board-count", text: stage.total }),
        ),
        stage.customers.length
          ? h(
              "ul",
              {},
              stage.customers.map((customer) =>
                h(
                  "li",
                  {},
                  h(
                    "button",
                    {
                      type: "button",
                      class: "chip",
                      "data-testid": "board-customer",
                      "data-id": customer.id,
                      on: { click: () => openCustomer(customer.id) },
                    },
                    h("span", { text: customer.name }),
                    customer.amount
                      ? h("small", { text: formatAmount(customer.amount, customer.currency) })
                      : null,
                  ),
                ),
              ),
            )
          : h("p", { class: "hint", text: t("board.empty") }),
        more > 0
          ? h("button", {
              type: "button",
              class: "link",
              text: t("board.more", { n: more }),
              on: {
                click: () => {
                  state.stage = stage.key;
                  state.query = "";
                  selectTab("customers");
                },
              },
            })
          : null,
      );
    });
    // On a phone one column shows at a time: the whole pipeline's counts sit above it, and a
    // tap on a stage scrolls to its column.
    const summary = h(
      "div",
      { class: "summary", "data-testid": "board-summary" },
      stages.map((stage, index) =>
        h(
          "button",
          {
            type: "button",
            "data-stage": stage.key,
            on: {
              click: () =>
                sections[index].scrollIntoView({
                  behavior: "smooth",
                  block: "nearest",
                  inline: "start",
                }),
            },
          },
          h("span", { text: stage.name }),
          h("b", { text: stage.total }),
        ),
      ),
    );
    // Open on the first stage that has customers, not on an empty first column.
    const first = stages.findIndex((stage) => stage.total > 0);
    if (first > 0) {
      requestAnimationFrame(() =>
        sections[first].scrollIntoView({ block: "nearest", inline: "start" }),
      );
    }
    return h(
      "div",
      { "data-testid": "board" },
      summary,
      h("div", { class: "board" }, sections),
    );
  }

  function customerRow(customer) {
    const meta = [customer.stage_name || stageName(customer.stage), customer.owner]
      .filter(Boolean)
      .join(" · ");
    return h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "row",
          "data-testid": "customer-row",
          "data-id": customer.id,
          on: { click: () => openCustomer(customer.id) },
        },
        h(
          "span",
          { class: "main" },
          h("strong", { "data-testid": "customer-name", text: customer.name }),
          h("small", { text: meta }),
        ),
        h(
          "span",
          { class: "side" },
          customer.amount ? h("span", { text: formatAmount(customer.amount, customer.currency) }) : null,
          customer.last_activity ? h("small", { text: formatWhen(customer.last_activity) }) : null,
        ),
      ),
    );
  }

  const SEARCH_DELAY_MS = 250;

  async function customersView() {
    const list = h("ul", { class: "list", "data-testid": "customer-list" });
    const total = h("p", { class: "hint", "data-testid": "customer-total" });
    const more = h("button", { type: "button", class: "link", hidden: true, text: t("list.more") });
    let seq = 0;
    let offset = 0;

    async function load(append) {
      const mine = ++seq;
      const data = await api("customers", {
        team: team(),
        q: state.query.trim(),
        stage: state.stage,
        offset: append ? offset : 0,
      });
      if (mine !== seq) return; // a newer search answered first
      const rows = data.customers.map(customerRow);
      if (append) list.append(...rows);
      else list.replaceChildren(...rows);
      if (!data.customers.length && !append) {
        list.replaceChildren(h("li", { class: "hint", "data-testid": "list-empty", text: t("list.empty") }));
      }
      total.textContent = t("list.total", { n: data.total });
      offset = data.next_offset || 0;
      more.hidden = !data.next_offset;
    }

    const reload = () => load(false).catch((error) => fail(error, render));
    let timer = 0;
    const search = h("input", {
      type: "search",
      value: state.query,
      placeholder: t("list.search"),
      "aria-label": t("list.search"),
      "data-testid": "search",
      enterkeyhint: "search",
      on: {
        input: (event) => {
          state.query = event.target.value;
          clearTimeout(timer);
          timer = setTimeout(reload, SEARCH_DELAY_MS);
        },
      },
    });
    const filter = h(
      "select",
      {
        "data-testid": "stage-filter",
        "aria-label": t("card.stage"),
        on: {
          change: (event) => {
            state.stage = event.target.value;
            reload();
          },
        },
      },
      h("option", { value: "", text: t("list.all_stages") }),
      state.team.stages.map((stage) =>
        h("option", { value: stage.key, text: stage.name, selected: stage.key === state.stage }),
      ),
    );
    more.addEventListener("click", () => load(true).catch((error) => toast(errorText(error), "bad")));
    await load(false);
    return h(
      "div",
      { class: "customers" },
      h("div", { class: "filters" }, search, filter),
      total,
      list,
      more,
    );
  }

  function field(label, value, testid) {
    return h(
      "div",
      { class: "field" },
      h("dt", { text: label }),
      h("dd", { "data-testid": testid, text: value || t("none") }),
    );
  }

  function taskItem(task, onDone, inCard) {
    const button = h("button", {
      type: "button",
      class: "done",
      "data-testid": "task-done",
      text: t("task.done"),
    });
    const item = h(
      "li",
      { class: "task" + (task.overdue ? " overdue" : ""), "data-testid": "task-row", "data-id": task.id },
      h(
        "div",
        { class: "main" },
        h("span", { "data-testid": "task-text" }, h("b", { text: "#" + task.number + " " }), task.text),
        h(
          "small",
          {},
          [
            task.due ? t("task.due", { when: formatWhen(task.due) }) : null,
            task.overdue ? t("task.overdue") : null,
            task.owner,
          ]
            .filter(Boolean)
            .join(" · "),
        ),
        !inCard && task.customer && task.customer_id
          ? h("button", {
              type: "button",
              class: "link",
              "data-testid": "task-customer",
              text: task.customer,
              on: { click: () => openCustomer(task.customer_id) },
            })
          : null,
      ),
      button,
    );
    button.addEventListener("click", async () => {
      button.disabled = true;
      const ok = await act(() => api(`tasks/${task.id}/done`, { team: team() }, {}));
      if (!ok) {
        button.disabled = false;
        return;
      }
      haptic("success");
      toast(t("task.closed", { n: task.number }), "good");
      item.remove();
      onDone();
    });
    return item;
  }

  async function cardView(id) {
    const data = await api(`customers/${id}`, { team: team() });
    const customer = data.customer;
    const stages = state.team.stages.some((stage) => stage.key === customer.stage)
      ? state.team.stages
      : [{ key: customer.stage, name: customer.stage_name || customer.stage }, ...state.team.stages];
    const select = h(
      "select",
      { "data-testid": "stage-select", "aria-label": t("card.stage") },
      stages.map((stage) =>
        h("option", { value: stage.key, text: stage.name, selected: stage.key === customer.stage }),
      ),
    );
    select.addEventListener("change", async () => {
      const wanted = select.value;
      select.disabled = true;
      const ok = await act(async () => {
        const answer = await api(`customers/${id}/stage`, { team: team() }, { stage: wanted });
        customer.stage = answer.customer.stage;
      });
      select.disabled = false;
      select.value = customer.stage;
      if (ok) {
        haptic("stage");
        toast(t("stage.changed", { customer: customer.name, stage: stageName(customer.stage) }), "good");
      }
    });
    const tasks = h("ul", { class: "tasks", "data-testid": "card-tasks" });
    const noTasks = () => h("li", { class: "hint", text: t("card.tasks_empty") });
    const afterDone = () => {
      if (!tasks.children.length) tasks.append(noTasks());
    };
    tasks.append(...customer.tasks.map((task) => taskItem(task, afterDone, true)));
    afterDone();
    const extra = ["contact", "phone", "email", "address"]
      .filter((name) => typeof customer[name] === "string" && customer[name])
      .map((name) => field(t("card." + name), customer[name], "card-" + name));
    const phone = extra.find((node) => node.querySelector('[data-testid="card-phone"]'));
    if (phone) {
      // One tap to call between meetings; the link holds only the number's digits and '+'.
      const cell = phone.querySelector("dd");
      const number = customer.phone.replace(/[^0-9+]/g, "");
      if (number) cell.replaceChildren(h("a", { href: "tel:" + number, text: customer.phone }));
    }
    return h(
      "article",
      { class: "card", "data-testid": "customer-card", "data-id": customer.id },
      h("h2", { "data-testid": "card-name", text: customer.name }),
      h(
        "dl",
        { class: "fields" },
        h("div", { class: "field" }, h("dt", { text: t("card.stage") }), h("dd", {}, select)),
        field(t("card.owner"), customer.owner, "card-owner"),
        field(t("card.amount"), customer.amount && formatAmount(customer.amount, customer.currency), "card-amount"),
        field(t("card.channel"), customer.channel, "card-channel"),
        field(t("card.partner"), customer.partner, "card-partner"),
        field(t("card.last_activity"), customer.last_activity && formatWhen(customer.last_activity), "card-last"),
        extra,
      ),
      h("h3", { text: t("card.tasks") }),
      tasks,
      h("h3", { text: t("card.timeline") }),
      customer.timeline.length
        ? h(
            "ol",
            { class: "timeline", "data-testid": "timeline" },
            customer.timeline.map((entry) =>
              h(
                "li",
                {},
                h(
                  "small",
                  {},
                  [
                    formatWhen(entry.when),
                    entry.kind_name || entry.kind,
                    entry.amount ? formatAmount(entry.amount, customer.currency) : null,
                    entry.by,
                  ]
                    .filter(Boolean)
                    .join(" · "),
                ),
                h("p", { text: entry.text }),
              ),
            ),
          )
        : h("p", { class: "hint", "data-testid": "timeline", text: t("card.timeline_empty") }),
    );
  }

  async function tasksView() {
    const data = await api("tasks", { team: team(), all: state.allTasks ? 1 : null });
    const list = h("ul", { class: "tasks", "data-testid": "task-list" });
    const empty = () => h("li", { class: "hint", "data-testid": "tasks-empty", text: t("tasks.empty") });
    const afterDone = () => {
      if (!list.children.length) list.append(empty());
    };
    list.append(...data.tasks.map((task) => taskItem(task, afterDone)));
    afterDone();
    const toggle =
      state.team.role === "manager"
        ? h(
            "label",
            { class: "toggle" },
            h("input", {
              type: "checkbox",
              checked: state.allTasks,
              "data-testid": "tasks-all",
              on: {
                change: (event) => {
                  state.allTasks = event.target.checked;
                  render();
                },
              },
            }),
            t("tasks.all"),
          )
        : null;
    return h("div", { class: "my-tasks" }, toggle, list);
  }

  // -- stats -------------------------------------------------------------------------------

  // The figures shown as tiles, in this order, when the server sends them.
  const TILES = [
    "revenue", "wins", "losses", "win_rate", "leads", "conversion", "visits", "activities",
    "followups_due", "followups_on_time", "on_time_rate", "avg_days_to_close",
  ];
  const RATES = new Set(["win_rate", "conversion", "on_time_rate"]);
  const KINDS = ["channel", "rep", "partner"];

  function figure(name, value, currency) {
    if (name === "revenue") return formatAmount(value, currency);
    if (RATES.has(name)) return percent(value);
    return value === null || value === undefined ? t("none") : String(value);
  }

  function lastMonth() {
    const now = new Date();
    const month = now.getMonth() === 0 ? 12 : now.getMonth();
    const year = now.getMonth() === 0 ? now.getFullYear() - 1 : now.getFullYear();
    return `${year}-${String(month).padStart(2, "0")}`;
  }

  // A horizontal bar chart as inline SVG: one bar per row, the longest the full width.
  function barChart(rows, metric, currency, title) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = (tag, attrs, text) => {
      const node = document.createElementNS(NS, tag);
      for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const bar = 22;
    const gap = 8;
    const width = 320;
    const label = 110;
    const values = rows.map((row) => Number(row[metric]) || 0);
    const top = Math.max(...values, 0) || 1;
    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${rows.length * (bar + gap)}`,
      role: "img",
      class: "chart",
      "data-testid": "stats-chart",
    });
    chart.append(svg("title", {}, title));
    rows.forEach((row, index) => {
      const y = index * (bar + gap);
      const length = Math.max(2, ((width - label - 70) * values[index]) / top);
      chart.append(
        svg("text", { x: label - 6, y: y + bar / 2 + 4, "text-anchor": "end", class: "label" }, row.name.slice(0, 16)),
        svg("rect", { x: label, y, width: length, height: bar, rx: 3, class: "bar" }),
        svg("text", { x: label + length + 4, y: y + bar / 2 + 4, class: "value" }, figure(metric, row[metric], currency)),
      );
    });
    return chart;
  }

  async function statsView() {
    const data = await api("stats", { team: team(), period: state.period });
    const periods = [
      ["week", t("stats.week")],
      ["month", t("stats.month")],
      [lastMonth(), t("stats.last_month")],
    ];
    const picker = h(
      "div",
      { class: "segmented", role: "group", "data-testid": "period" },
      periods.map(([value, label]) =>
        h("button", {
          type: "button",
          class: value === state.period ? "active" : "",
          "data-testid": "period-" + (value.includes("-") ? "last" : value),
          text: label,
          on: {
            click: () => {
              state.period = value;
              render();
            },
          },
        }),
      ),
    );
    const totals = data.totals || {};
    const tiles = h(
      "div",
      { class: "tiles", "data-testid": "stats-totals" },
      TILES.filter((name) => name in totals).map((name) =>
        h(
          "div",
          { class: "tile", "data-testid": "stat-" + name },
          h("strong", { text: figure(name, totals[name], data.currency) }),
          h("small", { text: t("stats." + name) }),
        ),
      ),
    );
    const rows = data.rows || [];
    const metric = rows.some((row) => Number(row.revenue) > 0) ? "revenue" : "activities";
    const sections = KINDS.map((kind) => rows.filter((row) => row.kind === kind))
      .filter((group) => group.length)
      .map((group) => {
        const kind = group[0].kind;
        const columns = TILES.filter((name) => name in group[0]).slice(0, 4);
        return h(
          "section",
          { class: "breakdown", "data-testid": "stats-" + kind },
          h("h3", { text: t("stats.kind." + kind) }),
          barChart(
            // Rows with nothing to show stay in the table, not as empty bars.
            group.some((row) => Number(row[metric]) > 0)
              ? group.filter((row) => Number(row[metric]) > 0)
              : group,
            metric,
            data.currency,
            t("stats.chart", { metric: t("stats." + metric), kind: t("stats.kind." + kind) }),
          ),
          h(
            "table",
            {},
            h("thead", {}, h("tr", {}, h("th", { text: t("stats.name") }), columns.map((name) => h("th", { text: t("stats." + name) })))),
            h(
              "tbody",
              {},
              group.map((row) =>
                h("tr", {}, h("td", { text: row.name }), columns.map((name) => h("td", { text: figure(name, row[name], data.currency) }))),
              ),
            ),
          ),
        );
      });
    return h(
      "div",
      { class: "stats", "data-testid": "stats" },
      picker,
      h("h2", { "data-testid": "stats-period", text: (data.period && data.period.label) || "" }),
      tiles,
      sections.length ? sections : h("p", { class: "hint", text: t("stats.empty") }),
    );
  }

  const VIEWS = { board: boardView, customers: customersView, tasks: tasksView, stats: statsView };

  // -- start -------------------------------------------------------------------------------

  // The team of the link it was opened from (its start parameter), else the first; null when
  // that link names a team the user is not a member of.
  function chooseTeam(teams) {
    const wanted = launch.startParam;
    if (!/^-?\d+$/.test(wanted)) return teams[0];
    return teams.find((item) => String(item.chat_id) === wanted) || null;
  }

  function openTeam(chosen, teams) {
    useTeam(chosen);
    teamPicker(teams);
    document.getElementById("tabs").hidden = false;
    render();
  }

  function useTeam(chosen) {
    state.team = chosen;
    state.stack = [];
    state.stage = "";
    state.query = "";
    state.allTasks = false;
    setLanguage(chosen.language);
    document.getElementById("title").textContent = chosen.title;
  }

  function teamPicker(teams) {
    const picker = document.getElementById("team");
    picker.replaceChildren(
      ...teams.map((item) =>
        h("option", {
          value: item.chat_id,
          text: `${item.title} · ${t("role." + item.role)}`,
          selected: item === state.team,
        }),
      ),
    );
    picker.hidden = teams.length < 2;
    picker.onchange = () => {
      useTeam(teams.find((item) => String(item.chat_id) === picker.value));
      teamPicker(teams); // the role names follow the chosen team's language
      render();
    };
  }

  async function start() {
    main.replaceChildren(h("p", { class: "hint", "data-testid": "loading", text: t("loading") }));
    let me;
    try {
      me = await api("me");
    } catch (error) {
      fail(error, start);
      return;
    }
    state.me = me;
    state.tab = savedTab();
    const chosen = chooseTeam(me.teams);
    if (chosen) {
      openTeam(chosen, me.teams);
    } else if (me.teams.length) {
      // Opened from another team's link: say so, and offer the teams the user is in.
      const offers = me.teams.map((item) =>
        h("button", {
          type: "button",
          class: "primary",
          "data-testid": "open-team",
          text: item.title,
          on: { click: () => openTeam(item, me.teams) },
        }),
      );
      main.replaceChildren(
        screen("error-403", t("error.403.title"), t("error.403.text"), h("div", { class: "offers" }, offers)),
      );
    } else {
      main.replaceChildren(screen("error-no-teams", t("error.no_teams.title"), t("error.no_teams.text")));
    }
  }

  setLanguage((launch.user && launch.user.language_code) || navigator.language);
  setupTelegram();
  for (const button of document.querySelectorAll("[data-tab]")) {
    button.addEventListener("click", () => selectTab(button.dataset.tab));
  }
  document.getElementById("back").addEventListener("click", goBack);
  if (!launch.initData) {
    fail(new ApiError(401, "no_init_data"));
  } else {
    start();
  }
})();
