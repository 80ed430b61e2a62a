package main

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"landatlas/internal/enquiryapi"
)

// enquiryFlags declares the settings of the demand side and returns their validation.
func enquiryFlags(fs *flag.FlagSet, getenv func(string) string) func() (enquiryapi.Settings, error) {
	def := enquiryapi.DefaultSettings()
	smtp := fs.String("smtp-url", getenv("LANDATLAS_SMTP_URL"), "SMTP server for notifications, smtp://[user:password@]host:port?from=address; unset keeps them in the workspace's message list (LANDATLAS_SMTP_URL)")
	notify := fs.String("notify", getenv("LANDATLAS_NOTIFY"), "who gets notifications: region=address,AGS=address,... (LANDATLAS_NOTIFY)")
	rate := fs.String("enquiry-rate", envOr(getenv, "LANDATLAS_ENQUIRY_RATE", fmt.Sprintf("%d/%s", def.RateLimit, def.RateWindow)),
		"public enquiries allowed per address, as N/duration (LANDATLAS_ENQUIRY_RATE)")
	proxies := fs.String("trusted-proxies", getenv("LANDATLAS_TRUSTED_PROXIES"),
		"reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For names the client for the enquiry rate limit (LANDATLAS_TRUSTED_PROXIES)")
	months := fs.String("retention-months", envOr(getenv, "LANDATLAS_RETENTION_MONTHS", strconv.Itoa(def.RetentionMonths)),
		"months after closing an enquiry's personal data are erased (LANDATLAS_RETENTION_MONTHS)")
	contact := fs.String("region-contact", getenv("LANDATLAS_REGION_CONTACT"), "the region's contact on proposal pages, lines separated by | (LANDATLAS_REGION_CONTACT)")
	imprint := fs.String("imprint-file", getenv("LANDATLAS_IMPRINT_FILE"), "plain-text file of the imprint page (LANDATLAS_IMPRINT_FILE)")
	privacy := fs.String("privacy-file", getenv("LANDATLAS_PRIVACY_FILE"), "plain-text file of the privacy page (LANDATLAS_PRIVACY_FILE)")
	return func() (enquiryapi.Settings, error) {
		s := def
		s.Imprint, s.SMTPURL, s.Recipients = "", *smtp, map[string]string{}
		m := regexp.MustCompile(`^(\d+)/(\S+)$`).FindStringSubmatch(*rate)
		var err error
		if m != nil {
			s.RateLimit, _ = strconv.Atoi(m[1])
			s.RateWindow, err = time.ParseDuration(m[2])
		}
		if m == nil || err != nil || s.RateLimit < 1 || s.RateWindow <= 0 {
			return s, fmt.Errorf("LANDATLAS_ENQUIRY_RATE %q: give N/duration, e.g. 5/10m", *rate)
		}
		for _, item := range strings.Split(*proxies, ",") {
			if item = strings.TrimSpace(item); item == "" {
				continue
			}
			p, err := netip.ParsePrefix(item)
			if a, aerr := netip.ParseAddr(item); aerr == nil {
				p, err = a.Prefix(a.BitLen())
			}
			if err != nil {
				return s, fmt.Errorf("LANDATLAS_TRUSTED_PROXIES %q: give addresses or CIDR ranges, comma-separated, e.g. 10.0.0.5,192.168.1.0/24", item)
			}
			s.TrustedProxies = append(s.TrustedProxies, p.Masked())
		}
		if s.RetentionMonths, err = strconv.Atoi(*months); err != nil || s.RetentionMonths < 1 {
			return s, fmt.Errorf("LANDATLAS_RETENTION_MONTHS %q: give a whole number of months, at least 1", *months)
		}
		if s.SMTPURL != "" {
			if err := enquiryapi.CheckSMTPURL(s.SMTPURL); err != nil {
				return s, err
			}
		}
		for _, pair := range strings.Split(*notify, ",") {
			if pair = strings.TrimSpace(pair); pair == "" {
				continue
			}
			who, addr, ok := strings.Cut(pair, "=")
			if !ok || !strings.Contains(addr, "@") || (who != "region" && !regexp.MustCompile(`^\d{5}$`).MatchString(who)) {
				return s, fmt.Errorf("LANDATLAS_NOTIFY %q: give region=address or AGS=address pairs, comma-separated", pair)
			}
			s.Recipients[who] = strings.TrimSpace(addr)
		}
		if *contact != "" {
			s.RegionContact = strings.ReplaceAll(*contact, "|", "\n")
		}
		for name, f := range map[string]struct {
			path string
			dst  *string
		}{"LANDATLAS_IMPRINT_FILE": {*imprint, &s.Imprint}, "LANDATLAS_PRIVACY_FILE": {*privacy, &s.Privacy}} {
			if f.path == "" {
				continue
			}
			b, err := os.ReadFile(f.path)
			if err != nil {
				return s, fmt.Errorf("%s: %w", name, err)
			}
			*f.dst = string(b)
		}
		return s, nil
	}
}
