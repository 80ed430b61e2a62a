package enquiryapi

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddrReadsForwardingHeadersOfTrustedProxiesOnly(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("192.168.7.9/32")}
	cases := []struct {
		name, peer string
		forwarded  []string
		trusted    []netip.Prefix
		want       string
	}{
		{"no proxies set: the peer, whatever the header says", "203.0.113.5:4711", []string{"198.51.100.1"}, nil, "203.0.113.5"},
		{"an untrusted peer's header is ignored", "203.0.113.5:4711", []string{"198.51.100.1"}, proxies, "203.0.113.5"},
		{"behind one proxy: the address it appended", "10.0.0.7:80", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"a client's own forged entry stays to the left", "10.0.0.7:80", []string{"1.2.3.4, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"two proxies, over two headers", "10.0.0.7:80", []string{"198.51.100.1", "192.168.7.9"}, proxies, "198.51.100.1"},
		{"garbage before the proxies' entries", "10.0.0.7:80", []string{"evil, 192.168.7.9"}, proxies, "192.168.7.9"},
		{"a trusted peer without a header", "10.0.0.7:80", nil, proxies, "10.0.0.7"},
		{"IPv6 peer", "[2001:db8::1]:443", nil, proxies, "2001:db8::1"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "/api/v1/enquiries", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.forwarded {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := clientAddr(r, c.trusted); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
