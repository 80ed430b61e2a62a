package enquiryapi

import (
	"context"
	"fmt"
	"mime"
	"net/smtp"
	"net/url"
	"slices"
	"strings"
	"time"

	"landatlas/internal/enquirystore"
)

// mailer sends outbox messages through an SMTP server.
type mailer struct {
	addr string
	from string
	auth smtp.Auth
}

// newMailer reads smtp://[user:password@]host:port?from=address.
func newMailer(raw string) (*mailer, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" || u.Port() == "" {
		return nil, fmt.Errorf("LANDATLAS_SMTP_URL %q: give smtp://[user:password@]host:port?from=address", raw)
	}
	from := u.Query().Get("from")
	if from == "" || !strings.Contains(from, "@") {
		return nil, fmt.Errorf("LANDATLAS_SMTP_URL: name the sender, e.g. smtp://mail.example.org:587?from=landatlas@example.org")
	}
	m := &mailer{addr: u.Host, from: from}
	if u.User != nil {
		pw, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return m, nil
}

// CheckSMTPURL says what is wrong with an SMTP URL, for the start-up checks of the configuration.
func CheckSMTPURL(raw string) error {
	_, err := newMailer(raw)
	return err
}

// send delivers one message to one address.
func (m *mailer) send(to string, msg enquirystore.Message) error {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\nMessage-ID: <outbox-%d@landatlas>\r\n\r\n",
		m.from, to, mime.QEncoding.Encode("utf-8", msg.Subject), msg.CreatedAt.Format(time.RFC1123Z), msg.ID)
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n"))
	return smtp.SendMail(m.addr, m.auth, m.from, []string{to}, []byte(b.String()))
}

// maxAttempts is how often a message is tried before it stays in the outbox for good.
const maxAttempts = 5

// Deliver sends the outbox through SMTP, when it is configured, to the recipients with an
// address; other messages stay in the outbox and the workspace's message list. It returns how
// many were sent.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	if s.mailer == nil {
		return 0, nil
	}
	var to []string
	for r := range s.settings.Recipients {
		to = append(to, r)
	}
	slices.Sort(to)
	return s.store.Deliver(ctx, to, maxAttempts, func(m enquirystore.Message) (string, error) {
		addr := s.settings.Recipients[m.Recipient]
		return addr, s.mailer.send(addr, m)
	})
}

// Housekeeping runs the hourly jobs once: the retention of personal data, the reminders and
// the deletion of the rate limit's past windows.
func (s *Service) Housekeeping(ctx context.Context) error {
	if err := s.limit.forgetPast(ctx); err != nil {
		return err
	}
	refs, err := s.store.EraseExpired(ctx, s.settings.RetentionMonths)
	if err != nil {
		return err
	}
	if len(refs) > 0 {
		s.log.InfoContext(ctx, "retention: personal data erased", "enquiries", len(refs), "months", s.settings.RetentionMonths)
	}
	n, err := s.store.QueueReminders(ctx, s.settings.ReminderAfter)
	if n > 0 {
		s.wake()
	}
	return err
}

// RunJobs runs the scheduled jobs until ctx ends: the outbox every minute and whenever a message
// is queued, retention and reminders every hour (and at start).
func (s *Service) RunJobs(ctx context.Context) {
	outbox := time.NewTicker(time.Minute)
	defer outbox.Stop()
	hourly := time.NewTicker(time.Hour)
	defer hourly.Stop()
	s.runJob(ctx, "housekeeping", s.Housekeeping)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hourly.C:
			s.runJob(ctx, "housekeeping", s.Housekeeping)
		case <-outbox.C:
		case <-s.kick:
		}
		s.runJob(ctx, "outbox", func(ctx context.Context) error {
			_, err := s.Deliver(ctx)
			return err
		})
	}
}

func (s *Service) runJob(ctx context.Context, name string, fn func(context.Context) error) {
	if err := fn(ctx); err != nil && ctx.Err() == nil {
		s.log.ErrorContext(ctx, "scheduled job failed", "job", name, "err", err)
	}
}
