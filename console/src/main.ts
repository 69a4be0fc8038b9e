import { matchPage, type PagePattern } from "../routes.js";
import { ApiProblem, setApiBase } from "./api.js";
import { completeSignIn, currentSession, loadConfig, type Session, signIn } from "./auth.js";
import { h, heading, link, para } from "./dom.js";
import type { Page, PageContext, Rendered } from "./page.js";
import { concernForm } from "./pages/concern-form.js";
import { concernList, concernStatus, escalations } from "./pages/concerns.js";
import { igHome, subjectAccess, verification } from "./pages/ig.js";
import { breaches, calendarPage, routingRules, timeliness } from "./pages/ig-operations.js";
import { agreementPage, agreements, coverage } from "./pages/ig-policy.js";
import { reviewPage, reviews } from "./pages/ig-reviews.js";
import { inbox, notificationPage } from "./pages/inbox.js";
import { guard, problemPage, setDraftKeeper, show, takeDraft } from "./shell.js";

/**
 * The console's page router: one shell page, every page drawn from the API in the browser,
 * links followed without a reload so the token held in memory survives.
 */

const main = () => document.getElementById("main-content") as HTMLElement;

const home: Page = async ({ session }) => {
  const to = session.scopes.has("notifications:read")
    ? "/inbox"
    : session.scopes.has("concerns:submit")
      ? "/concerns/new"
      : session.scopes.has("audit:read")
        ? "/ig"
        : null;
  if (to) {
    queueMicrotask(() => navigate(to, true));
    return { title: "Lantern", content: para("Opening your pages...") };
  }
  return { title: "Lantern", content: [heading("Lantern"), para("Your account has no Lantern pages.")] };
};

const PAGES: Record<Exclude<PagePattern, "/callback" | "/signed-out">, Page> = {
  "/": home,
  "/inbox": inbox,
  "/notifications/:id": notificationPage,
  "/concerns": concernList,
  "/concerns/new": concernForm,
  "/concerns/:id": concernStatus,
  "/escalations": escalations,
  "/ig": igHome,
  "/ig/subject-access": subjectAccess,
  "/ig/verify": verification,
  "/ig/coverage": coverage,
  "/ig/agreements": agreements,
  "/ig/agreements/:id": agreementPage,
  "/ig/reviews": reviews,
  "/ig/reviews/:id": reviewPage,
  "/ig/routing": routingRules,
  "/ig/calendars/:area": calendarPage,
  "/ig/timeliness": timeliness,
  "/ig/breaches": breaches,
};

async function signInPage(path: string): Promise<Rendered> {
  const config = await loadConfig();
  return {
    title: "Sign in",
    content: [
      heading("Sign in to Lantern"),
      para("Choose your organisation. You will sign in with its account and come back here."),
      h(
        "ul",
        { class: "govuk-list" },
        config.clients.map((client) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "govuk-button govuk-button--secondary",
                "data-client": client.clientId,
                onclick: () => void signIn(client.clientId, path),
              },
              client.name,
            ),
          ),
        ),
      ),
    ],
  };
}

async function renderPage(path: string, session: Session): Promise<Rendered> {
  const matched = matchPage(path);
  if (!matched || matched.pattern === "/callback" || matched.pattern === "/signed-out")
    return problemPage(new ApiProblem(404, "Not found", "", "about:blank", []));
  setDraftKeeper(null);
  const context: PageContext = {
    params: matched.params,
    query: new URLSearchParams(location.search),
    session,
    navigate: (to) => navigate(to),
    keepDraft: (collect) => setDraftKeeper(collect),
    draft: takeDraft(path),
  };
  return PAGES[matched.pattern](context);
}

async function render(focus = false): Promise<void> {
  const path = location.pathname;
  try {
    if (path === "/callback") {
      const next = await completeSignIn(new URLSearchParams(location.search));
      history.replaceState(null, "", next);
      return render();
    }
    if (path === "/signed-out") {
      show(
        { title: "Signed out", content: [heading("You have signed out"), para(link("/", "Sign in again"))] },
        null,
      );
      return;
    }
    const session = currentSession();
    if (!session) {
      show(await signInPage(path + location.search), null);
      return;
    }
    const rendered = await guard(session, () => renderPage(path, session));
    if (rendered) show(rendered, session);
  } catch (error: unknown) {
    show(
      {
        title: "Sorry, there is a problem",
        content: [
          heading("Sorry, there is a problem"),
          para(
            error instanceof Error && !(error instanceof ApiProblem)
              ? error.message
              : "The hub could not answer.",
          ),
          para(link("/", "Start again")),
        ],
      },
      currentSession(),
    );
  }
  if (focus) main().focus();
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  void render(true);
}

document.addEventListener("click", (event) => {
  const anchor = (event.target as Element | null)?.closest?.("a[data-console]");
  if (!(anchor instanceof HTMLAnchorElement) || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  navigate(anchor.getAttribute("href") ?? "/");
});
window.addEventListener("popstate", () => void render(true));

document.body.classList.add("js-enabled", "govuk-frontend-supported");
void loadConfig()
  .then((config) => setApiBase(config.apiBase))
  .then(() => render());
