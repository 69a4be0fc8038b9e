import { describe, expect, it } from "vitest";
import {
  checkDestination,
  type HostResolver,
  refusedAddress,
} from "../../shared/domain/webhook-destination.js";

/** A resolver that answers from a table and never touches the network. */
function resolverOf(answers: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: HostResolver = async (hostname) => {
    asked.push(hostname);
    const found = answers[hostname];
    if (!found) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return found;
  };
  return { resolve, asked };
}

describe("webhook destinations: which addresses are refused", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["169.254.169.254", "link-local"],
    ["fe80::1", "link-local"],
    ["10.0.0.5", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["fc00::1", "unique local"],
    ["fd12:3456::1", "unique local"],
    ["100.64.0.1", "shared (100.64.0.0/10)"],
    ["100.127.255.254", "shared (100.64.0.0/10)"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    // IPv4-mapped IPv6 is judged as the IPv4 address it carries.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:a9fe:a9fe", "link-local"],
    ["::ffff:10.0.0.1", "private"],
    // Forms that embed an IPv4 address and blocks that are not routed at all.
    ["64:ff9b::a00:1", "reserved"],
    ["2002:a00:1::1", "reserved"],
    ["2001::1", "reserved"],
    ["::7f00:1", "reserved"],
    ["240.0.0.1", "reserved"],
    ["198.18.0.1", "reserved"],
    ["192.0.0.8", "reserved"],
  ])("%s is %s", (address, reason) => {
    expect(refusedAddress(address)).toBe(reason);
  });

  it.each(["8.8.8.8", "1.1.1.1", "81.2.69.160", "2606:4700:4700::1111", "2a00:1450:4009:81f::200e"])(
    "%s, an ordinary public address, is accepted",
    (address) => {
      expect(refusedAddress(address)).toBeNull();
    },
  );

  it("refuses what is not an address", () => {
    expect(refusedAddress("evil.example")).toBe("not an IP address");
  });
});

describe("webhook destinations: checking a URL", () => {
  const none = resolverOf({});

  it.each([
    ["https://127.0.0.1/hook", "loopback"],
    // WHATWG URL normalises decimal, hexadecimal, octal and short IPv4 spellings.
    ["https://2130706433/hook", "loopback"],
    ["https://0x7f.0.0.1/hook", "loopback"],
    ["https://0177.0.0.1/hook", "loopback"],
    ["https://127.1/hook", "loopback"],
    ["https://0xa9fea9fe/latest/meta-data", "link-local"],
    ["https://169.254.169.254/latest/meta-data", "link-local"],
    ["https://[::1]:8443/hook", "loopback"],
    ["https://[::ffff:127.0.0.1]/hook", "loopback"],
    ["https://[::ffff:169.254.169.254]/hook", "link-local"],
    ["https://[fe80::1]/hook", "link-local"],
    ["https://[fd00::1]/hook", "unique local"],
    ["https://10.1.2.3/hook", "private"],
    ["https://100.64.0.1/hook", "shared (100.64.0.0/10)"],
    ["https://0.0.0.0/hook", "unspecified"],
    ["https://[::]/hook", "unspecified"],
  ])("%s is refused without asking DNS (%s)", async (href, reason) => {
    const result = await checkDestination(new URL(href), none.resolve);
    expect(result).toEqual({ ok: false, unresolved: false, reason: `the host is a ${reason} address` });
    expect(none.asked).toEqual([]);
  });

  it.each(["https://localhost/hook", "https://LOCALHOST./hook", "https://api.localhost/hook"])(
    "%s is loopback whatever DNS says",
    async (href) => {
      const dns = resolverOf({ localhost: ["81.2.69.160"], "api.localhost": ["81.2.69.160"] });
      const result = await checkDestination(new URL(href), dns.resolve);
      expect(result).toMatchObject({ ok: false, reason: "the host is a loopback name" });
    },
  );

  it("refuses a name that resolves to a private address", async () => {
    const dns = resolverOf({ "evil.example": ["10.0.0.5"] });
    const result = await checkDestination(new URL("https://evil.example/hook"), dns.resolve);
    expect(result).toEqual({
      ok: false,
      unresolved: false,
      reason: "the host resolves to a private address",
    });
    expect(dns.asked).toEqual(["evil.example"]);
  });

  it("refuses a name when any one of its addresses is internal (a resolver may hand out any)", async () => {
    const dns = resolverOf({ "mixed.example": ["81.2.69.160", "2a00:1450:4009:81f::200e", "fd00::5"] });
    const result = await checkDestination(new URL("https://mixed.example/hook"), dns.resolve);
    expect(result).toMatchObject({ ok: false, reason: "the host resolves to a unique local address" });
  });

  it("accepts a name whose every address is public, and lists them to connect to", async () => {
    const dns = resolverOf({ "hooks.school.example": ["81.2.69.160", "2a00:1450:4009:81f::200e"] });
    const result = await checkDestination(new URL("https://Hooks.School.example./lantern"), dns.resolve);
    expect(result).toEqual({
      ok: true,
      hostname: "hooks.school.example",
      addresses: ["81.2.69.160", "2a00:1450:4009:81f::200e"],
    });
  });

  it("says when a name does not resolve, so the caller decides", async () => {
    const result = await checkDestination(new URL("https://nowhere.example/hook"), none.resolve);
    expect(result).toEqual({ ok: false, unresolved: true, reason: "the host does not resolve" });
    const empty = await checkDestination(new URL("https://empty.example/"), async () => []);
    expect(empty).toMatchObject({ ok: false, unresolved: true });
  });

  it("uses the rule it is given (development allows loopback)", async () => {
    const result = await checkDestination(
      new URL("http://localhost:3000/hook"),
      async () => ["127.0.0.1"],
      () => null,
    );
    expect(result).toEqual({ ok: true, hostname: "localhost", addresses: ["127.0.0.1"] });
  });
});
