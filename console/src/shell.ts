import { ApiProblem, SignInNeeded } from "./api.js";
import { expire, type Session, signIn, signOut } from "./auth.js";
import { type Child, h, heading, link, para } from "./dom.js";
import type { Rendered } from "./page.js";

/** The frame around every page: navigation, the plain error pages, signing in again. */

const DRAFT = "lantern.draft";
const main = () => document.getElementById("main-content") as HTMLElement;
let draftKeeper: (() => unknown) | null = null;

export function setDraftKeeper(collect: (() => unknown) | null): void {
  draftKeeper = collect;
}

export function takeDraft(path: string): unknown {
  const kept = sessionStorage.getItem(DRAFT);
  if (!kept) return undefined;
  const { path: keptPath, draft } = JSON.parse(kept) as { path: string; draft: unknown };
  if (keptPath !== path) return undefined;
  sessionStorage.removeItem(DRAFT);
  return draft;
}

function navLinks(session: Session): Child {
  const items: [string, string, boolean][] = [
    ["/inbox", "Inbox", session.scopes.has("notifications:read")],
    ["/concerns/new", "New concern", session.scopes.has("concerns:submit")],
    ["/concerns", "Concerns", session.scopes.has("concerns:read")],
    ["/escalations", "Escalations", session.scopes.has("concerns:read")],
    [
      "/ig",
      "Information governance",
      session.scopes.has("audit:read") || session.scopes.has("agreements:read"),
    ],
  ];
  const here = location.pathname;
  return h(
    "ul",
    { class: "govuk-service-navigation__list", id: "navigation-list" },
    items
      .filter(([, , shown]) => shown)
      .map(([href, text]) =>
        h(
          "li",
          {
            class: `govuk-service-navigation__item${here === href ? " govuk-service-navigation__item--active" : ""}`,
          },
          h(
            "a",
            {
              class: "govuk-service-navigation__link",
              href,
              "data-console": "",
              "aria-current": here === href ? "page" : null,
            },
            text,
          ),
        ),
      ),
    h(
      "li",
      { class: "govuk-service-navigation__item" },
      h("span", { class: "govuk-service-navigation__text" }, session.name),
    ),
    h(
      "li",
      { class: "govuk-service-navigation__item" },
      h(
        "button",
        {
          type: "button",
          class: "govuk-button govuk-button--secondary lantern-signout",
          onclick: () => void signOut(),
        },
        "Sign out",
      ),
    ),
  );
}

export function show(rendered: Rendered, session: Session | null): void {
  document.title = `${rendered.title} - Lantern`;
  const nav = document.getElementById("navigation");
  nav?.replaceChildren(...(session ? [navLinks(session) as Node] : []));
  const target = main();
  target.replaceChildren();
  const append = (child: Child) => {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(append);
    else target.append(child instanceof Node ? child : String(child));
  };
  append(rendered.content);
}

/** The plain page for a refused or missing thing: never a stack, never raw JSON. */
export function problemPage(problem: ApiProblem): Rendered {
  if (problem.status === 403)
    return {
      title: "You cannot see this",
      content: [
        heading("You cannot see this"),
        para("Your organisation's account does not allow this, or it belongs to another organisation."),
        para(link("/", "Go to your start page")),
      ],
    };
  if (problem.status === 404)
    return {
      title: "Page not found",
      content: [
        heading("Page not found"),
        para("There is nothing here. Check the address, or ", link("/", "go to your start page"), "."),
      ],
    };
  return {
    title: "Sorry, there is a problem",
    content: [
      heading("Sorry, there is a problem"),
      para(problem.title),
      para(link("/", "Go to your start page")),
    ],
  };
}

/** The token ran out or was refused: keep what the person typed, then sign in again. */
export async function reauthenticate(session: Session | null): Promise<void> {
  if (draftKeeper)
    sessionStorage.setItem(DRAFT, JSON.stringify({ path: location.pathname, draft: draftKeeper() }));
  expire();
  if (session) await signIn(session.clientId, location.pathname + location.search);
  else location.reload();
}

export async function guard<T>(session: Session, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error: unknown) {
    if (error instanceof SignInNeeded) {
      await reauthenticate(session);
      return undefined;
    }
    if (error instanceof ApiProblem && error.errors.length === 0) {
      show(problemPage(error), session);
      return undefined;
    }
    throw error;
  }
}
