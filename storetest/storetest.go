// Package storetest is the one behaviour suite every okcare store must pass.
// The sqlite and postgres packages run it from their own tests, so the two
// stores are held to exactly the same expectations.
package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/sqldb"
)

// Opener returns a fresh, migrated, empty store for one test.
type Opener func(t *testing.T) *sqldb.DB

// Clock is a settable clock for a store under test.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, db *sqldb.DB, clock *Clock)
	}{
		{"Register", testRegister},
		{"LoginAndSessions", testLoginAndSessions},
		{"FailedLoginsRestrictUnknownDevicesOnly", testFailedLogins},
		{"DeviceProofAndNoEnumeration", testDeviceProofAndNoEnumeration},
		{"Reauthentication", testReauthentication},
		{"StaffSecondFactor", testStaffSecondFactor},
		{"StaffSessionLifetimes", testStaffSessionLifetimes},
		{"StaffSignInFailuresShared", testStaffSignInFailures},
		{"SessionIdleExpiry", testSessionIdleExpiry},
		{"AuthenticateAccount", testAuthenticateAccount},
		{"AccountStates", testAccountStates},
		{"TOTP", testTOTP},
		{"RecoveryCodesRandom", testRecoveryCodesRandom},
		{"Ledger", testLedger},
		{"Idempotency", testIdempotency},
		{"ConcurrentTransfers", testConcurrentTransfers},
		{"MoveBatch", testMoveBatch},
		{"MoveBatchConcurrent", testMoveBatchConcurrent},
		{"ConcurrentBatches", testConcurrentBatches},
		{"KeyInConcurrentBatches", testKeyInConcurrentBatches},
		{"BatchRefusals", testBatchRefusals},
		{"RefusedFirstMovement", testRefusedFirstMovement},
		{"LedgerImmutable", testLedgerImmutable},
		{"Transactions", testTransactions},
		{"ReleasePolicy", testReleasePolicy},
		{"Incidents", testIncidents},
		{"Agents", testAgents},
		{"Outbox", testOutbox},
		{"Diagnoses", testDiagnoses},
		{"Articles", testArticles},
		{"HelpFeedback", testHelpFeedback},
		{"ShippedArticles", testShippedArticles},
		{"Heartbeat", testHeartbeat},
		{"PublishedVersions", testPublishedVersions},
		{"Tickets", testTickets},
		{"Audit", testAudit},
		{"AuditSignaturesAndAnchors", testAuditSignaturesAndAnchors},
		{"VerifiedActions", testVerifiedActions},
		{"LinkByVerifiedContact", testLinkByVerifiedContact},
		{"Acknowledgements", testAcknowledgements},
		{"CustomerLanguage", testCustomerLanguage},
		{"IncidentLinking", testIncidentLinking},
		{"TicketCategories", testTicketCategories},
		{"LinkCodeDestinations", testLinkCodeDestinations},
		{"LinkThenUnfreeze", testLinkThenUnfreeze},
		{"SelfFreeze", testSelfFreeze},
		{"ForgotPassword", testForgotPassword},
		{"OfficialChannels", testOfficialChannels},
		{"StaffCodes", testStaffCodes},
		{"AntiPhishing", testAntiPhishing},
		{"MoneyAlerts", testMoneyAlerts},
		{"WalletCases", testWalletCases},
		{"UnfreezeRequestAnswersOneFreeze", testUnfreezeRequestAnswersOneFreeze},
		{"SLAScan", testSLAScan},
		{"SLAAlerts", testSLAAlerts},
		{"ResolutionClock", testResolutionClock},
		{"Priority", testPriority},
		{"TeamCalendars", testTeamCalendars},
		{"Holidays", testHolidays},
		{"CustomerContext", testCustomerContext},
		{"WalletReadsAudited", testWalletReadsAudited},
		{"MacrosAndTags", testMacrosAndTags},
		{"ReportFacts", testReportFacts},
		{"Attachments", testAttachments},
		{"FollowUps", testFollowUps},
		{"PhoneCallbacks", testPhoneCallbacks},
		{"Chat", testChat},
		{"ChatQueue", testChatQueue},
		{"ChatWaitingQueue", testChatWaitingQueue},
		{"MessageClientIDs", testMessageClientIDs},
		{"MessageOrder", testMessageOrder},
		{"ChatBatch", testChatBatch},
		{"ChatBatchAsLone", testChatBatchAsLone},
		{"ChatSecondLines", testChatSecondLines},
		{"ChatTurns", testChatTurns},
		{"ChatTurnMacroOpen", testChatTurnMacroOpen},
		{"ChatTurnStatusBeforeScan", testChatTurnStatusBeforeScan},
		{"ChatTurnBreachInGrace", testChatTurnBreachInGrace},
		{"ChatTurnAfterScan", testChatTurnAfterScan},
		{"ChatBatchRefusals", testChatBatchRefusals},
		{"ChatBatchesConcurrent", testChatBatchesConcurrent},
		{"HostileSubjects", testHostileSubjects},
		{"SolveSurveyAndPending", testSolveSurveyAndPending},
		{"Assignment", testAssignment},
		{"SystemNotes", testSystemNotes},
		{"MalformedInput", testMalformedInput},
		{"SecretsNeverStored", testSecretsNeverStored},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t)
			clock := &Clock{now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
			db.Now = clock.Now
			db.PasswordParams = password.TestParams
			tc.fn(t, db, clock)
		})
	}
}

var ctx = context.Background()

// wantCode fails the test unless err carries the okcare error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := okcare.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// mustRegister creates a user with password "blue-kettle-42".
func mustRegister(t *testing.T, db *sqldb.DB, email string) *okcare.User {
	t.Helper()
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: email, Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func device(id string) okcare.Device {
	return okcare.Device{ID: id, Platform: "android", OSVersion: "14", AppVersion: "5.2.0", Model: "Pixel 8"}
}

// login signs in as a device would: one that was given a device key at an
// earlier sign-in sends it (deviceKeys remembers them per store, login and
// device), so "the same device" means what it means for a real phone.
func login(db *sqldb.DB, who, pw, deviceID, code string) (*okcare.Session, string, error) {
	id := fmt.Sprintf("%p|%s|%s", db, strings.ToLower(who), deviceID)
	key, _ := deviceKeys.Load(id)
	k, _ := key.(string)
	s, tok, err := db.Login(ctx, okcare.LoginRequest{Login: who, Password: pw, TOTPCode: code, Device: device(deviceID), DeviceKey: k, IP: "127.0.0.1"})
	if err == nil && s.DeviceKey != "" {
		deviceKeys.Store(id, s.DeviceKey)
	}
	return s, tok, err
}

// deviceKeys are the device keys sign-ins gave out in these tests.
var deviceKeys sync.Map
