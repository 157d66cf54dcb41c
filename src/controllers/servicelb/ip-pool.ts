// A pool of IPv4 addresses for LoadBalancer Services, given as a CIDR or a first-last range.

/** The pool kin uses when none is given: a private /24 outside the default service and pod ranges. */
export const defaultLoadBalancerPool = '172.30.255.0/24';

function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** An inclusive range of IPv4 addresses. */
export class IpPool {
  private constructor(
    readonly first: number,
    readonly last: number,
    /** The pool as it was given. */
    readonly text: string,
  ) {}

  /** Parses `a.b.c.d/n` (network and broadcast addresses left out below /31) or `a.b.c.d-e.f.g.h`; throws on bad input. */
  static parse(text: string): IpPool {
    const t = text.trim();
    const dash = t.indexOf('-');
    if (dash > 0) {
      const a = ipToNumber(t.slice(0, dash).trim());
      const b = ipToNumber(t.slice(dash + 1).trim());
      if (a === undefined || b === undefined || b < a) throw new Error(`invalid load balancer IP range ${JSON.stringify(text)}: want FIRST-LAST with FIRST <= LAST`);
      return new IpPool(a, b, t);
    }
    const [base, bitsText] = t.split('/');
    const ip = base === undefined ? undefined : ipToNumber(base);
    const bits = Number(bitsText);
    if (ip === undefined || bitsText === undefined || !/^\d+$/.test(bitsText) || bits < 8 || bits > 32) throw new Error(`invalid load balancer CIDR ${JSON.stringify(text)}: want a.b.c.d/n with 8 <= n <= 32`);
    const size = 2 ** (32 - bits);
    const network = Math.floor(ip / size) * size;
    if (size <= 2) return new IpPool(network, network + size - 1, t);
    return new IpPool(network + 1, network + size - 2, t);
  }

  /** True when an address is in the pool. */
  contains(ip: string): boolean {
    const n = ipToNumber(ip);
    return n !== undefined && n >= this.first && n <= this.last;
  }

  /** The first address of the pool not in `used`. */
  firstFree(used: ReadonlySet<string>): string | undefined {
    for (let n = this.first; n <= this.last; n++) {
      const ip = numberToIp(n);
      if (!used.has(ip)) return ip;
    }
    return undefined;
  }

  /** How many addresses the pool holds. */
  get size(): number {
    return this.last - this.first + 1;
  }
}
