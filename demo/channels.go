package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/okcare/okcare"
)

// Channels are the demo's official channels, what /verify checks against.
// The phone numbers are made up for the demo.
var Channels = []*okcare.OfficialChannel{
	{Kind: "website", Value: "okwallet.example", NoteZH: "官网、帮助中心和应用下载", NoteEN: "Website, help center and app downloads"},
	{Kind: "email", Value: "support@okwallet.example", NoteZH: "客服邮箱：写信给我们，我们也从这里回复", NoteEN: "Support mailbox: write to us here, we answer from it"},
	{Kind: "email", Value: "no-reply@okwallet.example", NoteZH: "安全提醒和验证码的发件地址，每封都带有您设置的防钓鱼码", NoteEN: "Sender of security alerts and codes; each carries the anti-phishing code you set"},
	{Kind: "phone", Value: "+86 400-000-8820", NoteZH: "客服热线；客服回电也只用这个号码", NoteEN: "Support hotline; support calls you back only from this number"},
	{Kind: "phone", Value: "+86 1069 0000 8820", NoteZH: "短信发送号码：验证码和安全提醒只从这里发出", NoteEN: "SMS sender: codes and security alerts come only from this number"},
	{Kind: "telegram", Value: "@okwallet_official", NoteZH: "公告频道；管理员绝不会私信您", NoteEN: "Announcements channel; its admins never message you first"},
	{Kind: "wechat", Value: "okwallet_official", NoteZH: "微信公众号，只发公告，不提供一对一客服", NoteEN: "WeChat official account: announcements only, no one-to-one support"},
}

// ChannelStore is what LoadChannels writes through.
type ChannelStore interface {
	okcare.ChannelService
}

// LoadChannels puts the demo's official channels on a list that has never
// had any (one an admin has edited is left alone).
func LoadChannels(ctx context.Context, s ChannelStore) error {
	have, err := s.OfficialChannels(ctx, true)
	if err != nil || len(have) > 0 {
		return err
	}
	for _, c := range Channels {
		copied := *c
		if err := s.AddOfficialChannel(ctx, &copied, "system:demo"); err != nil {
			return err
		}
	}
	return nil
}

// chainDepositor books deposits that came from a chain, with their hash.
type chainDepositor interface {
	DepositFromChain(ctx context.Context, userID, asset, amount, memo, chainTx string) (*okcare.Movement, error)
}

// deposit books a demo deposit: crypto as from a chain, with a made-up
// but well-formed transaction hash staff can look it up by.
func deposit(ctx context.Context, s Store, userID, email, asset, amount string) error {
	if cd, ok := s.(chainDepositor); ok && asset != "CNY" {
		sum := sha256.Sum256([]byte("okcare demo deposit|" + email + "|" + asset))
		hash := hex.EncodeToString(sum[:])
		if asset != "BTC" {
			hash = "0x" + hash
		}
		_, err := cd.DepositFromChain(ctx, userID, asset, amount, "demo deposit", hash)
		return err
	}
	_, err := s.Deposit(ctx, userID, asset, amount, "demo deposit")
	return err
}
