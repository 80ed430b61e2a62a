package enquiryapi

import (
	"fmt"
	"net/http"
	"strings"
)

// The texts the imprint and privacy pages show until the operator configures their own
// (LANDATLAS_IMPRINT_FILE, LANDATLAS_PRIVACY_FILE).
const (
	defaultImprint = `Europäische Metropolregion Mitteldeutschland
Projektgruppe Industrie- und Gewerbeflächen

Der Betreiber dieser Installation hat noch kein Impressum hinterlegt (LANDATLAS_IMPRINT_FILE).`

	defaultPrivacy = `Anfragen über das Formular werden gespeichert, um sie zu beantworten: Firma, Ansprechperson, E-Mail-Adresse, Telefonnummer (freiwillig) und Ihr Flächenbedarf. Sie gehen an die Kreise der angefragten Flächen und an die Koordinierungsstelle der Region.

Die Kontaktdaten sehen nur die Planerinnen und Planer der Region und die Kreise, an die Ihre Anfrage geht; jeder Zugriff wird protokolliert. Sie werden %d Monate nach Abschluss der Anfrage gelöscht; die Anfrage bleibt ohne Personenbezug in der Statistik.

Auskunft und Löschung: wenden Sie sich an die Koordinierungsstelle unter Angabe Ihrer E-Mail-Adresse.

Der Betreiber dieser Installation hat noch keine eigene Datenschutzerklärung hinterlegt (LANDATLAS_PRIVACY_FILE).`
)

// privacyText is the default privacy text for a retention period.
func privacyText(months int) string { return fmt.Sprintf(defaultPrivacy, months) }

type legalPage struct {
	Lang, Title, Other, OtherHref string
	Paragraphs                    []string
}

// Legal answers GET /impressum and /datenschutz: the operator's imprint or privacy text as
// plain paragraphs (never HTML), in the page language of ?lang=.
func (s *Service) Legal(privacy bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := "de"
		if r.URL.Query().Get("lang") == "en" {
			lang = "en"
		}
		text, title, path := s.settings.Imprint, map[string]string{"de": "Impressum", "en": "Imprint"}[lang], "/impressum"
		if privacy {
			text, title, path = s.settings.Privacy, map[string]string{"de": "Datenschutz", "en": "Privacy"}[lang], "/datenschutz"
		}
		page := legalPage{Lang: lang, Title: title, Other: "English", OtherHref: path + "?lang=en"}
		if lang == "en" {
			page.Other, page.OtherHref = "Deutsch", path
		}
		for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				page.Paragraphs = append(page.Paragraphs, p)
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		if err := templates.ExecuteTemplate(w, "legal.html", page); err != nil {
			s.log.ErrorContext(r.Context(), "legal page", "err", err)
		}
	}
}
