import type { DemoPerson } from "./demo-people.js";

/** The development issuer's own pages, in the GOV.UK style of the console; no script at all. */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function layout(title: string, main: string): string {
  return `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} - Lantern development sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/govuk-frontend.min.css">
<link rel="stylesheet" href="/assets/console.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-service-navigation">
<div class="govuk-width-container"><div class="govuk-service-navigation__container">
<span class="govuk-service-navigation__service-name"><span class="govuk-service-navigation__text">Lantern development sign-in</span></span>
</div></div>
</header>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
${main}
</main>
</div>
</body>
</html>`;
}

export function loginPage(options: {
  uid: string;
  clientName: string;
  people: DemoPerson[];
  error?: string;
}): string {
  const error = options.error
    ? `<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><p class="govuk-body">${escapeHtml(options.error)}</p></div></div></div>`
    : "";
  if (options.people.length === 0) {
    return layout(
      "Sign in",
      `${error}<h1 class="govuk-heading-l">Sign in</h1><p class="govuk-body"><a class="govuk-link" href="/">Go back to the console</a> and choose your organisation.</p>`,
    );
  }
  const buttons = options.people
    .map(
      (person) =>
        `<li class="lantern-person"><button type="submit" class="govuk-button govuk-button--secondary" name="account" value="${escapeHtml(person.sub)}">Sign in as ${escapeHtml(person.name)}</button><p class="govuk-body-s">${escapeHtml(person.role)} (user <code>${escapeHtml(person.sub)}</code>)</p></li>`,
    )
    .join("");
  return layout(
    "Sign in",
    `${error}<span class="govuk-caption-l">${escapeHtml(options.clientName)}</span>
<h1 class="govuk-heading-l">Sign in</h1>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>This is the local hub's development issuer: it has no passwords and lists its demo users. A real deployment signs people in with the organisation's own identity provider.</strong></div>
<form method="post" action="/oidc/interaction/${escapeHtml(options.uid)}">
<ul class="govuk-list">${buttons}</ul>
</form>`,
  );
}

export function logoutPage(form: string): string {
  return layout(
    "Sign out",
    `${form}<h1 class="govuk-heading-l">Do you want to sign out of the development issuer too?</h1>
<div class="govuk-button-group"><button type="submit" class="govuk-button" form="op.logoutForm" name="logout" value="yes">Yes, sign out</button>
<button type="submit" class="govuk-button govuk-button--secondary" form="op.logoutForm">No, stay signed in here</button></div>`,
  );
}

export function signedOutPage(): string {
  return layout(
    "Signed out",
    `<h1 class="govuk-heading-l">You have signed out</h1><p class="govuk-body"><a class="govuk-link" href="/">Sign in again</a></p>`,
  );
}
