import ipaddr from "ipaddr.js";

/**
 * Where a webhook may be sent outside development: only to ordinary public unicast
 * addresses. A URL that leads to the hub's own network (loopback, link-local such as the
 * cloud metadata service, private, shared, unique local) would let whoever registers it
 * use the hub to reach machines nobody outside can, so it is refused.
 *
 * The rule is an allowlist (global unicast only), so ranges nobody thought of are refused
 * too: unspecified, broadcast, multicast, reserved and benchmarking blocks, and the IPv6
 * forms that carry an IPv4 address (mapped, translated, NAT64, 6to4, Teredo).
 */

/** Names for the ranges, in the words of the contract, for a clear 400 and attempt error. */
const RANGE_NAMES: Record<string, string> = {
  loopback: "loopback",
  linkLocal: "link-local",
  private: "private",
  uniqueLocal: "unique local",
  carrierGradeNat: "shared (100.64.0.0/10)",
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

/**
 * Why no webhook may be sent to this IP address (e.g. "private"), or null for an ordinary
 * public address. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function refusedAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return "not an IP address";
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (parsed.kind() === "ipv6" && range === "unicast") {
    // ipaddr calls everything outside its special list unicast; only 2000::/3 is routed.
    return (parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6) ? null : "reserved";
  }
  if (range === "unicast") return null;
  return RANGE_NAMES[range] ?? "reserved";
}

/** The host of a parsed URL as an IP address when it is one (WHATWG URL has normalised it). */
export function literalAddress(hostname: string): string | null {
  if (hostname.startsWith("[") && hostname.endsWith("]")) return hostname.slice(1, -1);
  return ipaddr.IPv4.isValidFourPartDecimal(hostname) ? hostname : null;
}

/** Answers a host name with every address it resolves to (rejects when it does not resolve). */
export type HostResolver = (hostname: string) => Promise<string[]>;

export type Destination =
  | { ok: true; hostname: string; addresses: string[] }
  | { ok: false; unresolved: boolean; reason: string };

/**
 * Check where a URL leads: its literal address, or every address its host resolves to
 * (one bad address is enough to refuse: a resolver may hand out any of them). Names under
 * `localhost` are loopback whatever a resolver says.
 */
export async function checkDestination(
  url: URL,
  resolve: HostResolver,
  refuse: (address: string) => string | null = refusedAddress,
): Promise<Destination> {
  const literal = literalAddress(url.hostname);
  if (literal !== null) {
    const reason = refuse(literal);
    return reason
      ? { ok: false, unresolved: false, reason: `the host is a ${reason} address` }
      : { ok: true, hostname: url.hostname, addresses: [literal] };
  }
  const name = url.hostname.toLowerCase().replace(/\.$/, "");
  if ((name === "localhost" || name.endsWith(".localhost")) && refuse("127.0.0.1") !== null) {
    return { ok: false, unresolved: false, reason: "the host is a loopback name" };
  }
  let addresses: string[];
  try {
    addresses = await resolve(name);
  } catch {
    return { ok: false, unresolved: true, reason: "the host does not resolve" };
  }
  if (addresses.length === 0) return { ok: false, unresolved: true, reason: "the host does not resolve" };
  for (const address of addresses) {
    const reason = refuse(address);
    if (reason) return { ok: false, unresolved: false, reason: `the host resolves to a ${reason} address` };
  }
  return { ok: true, hostname: name, addresses };
}
