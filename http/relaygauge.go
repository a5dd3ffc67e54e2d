package http

import (
	"github.com/okcare/okcare/chat"
	"github.com/prometheus/client_golang/prometheus"
)

// relayUp describes okcare_nats_connected.
var relayUp = prometheus.NewDesc("okcare_nats_connected",
	"1 while the NATS relay carrying live chat between nodes is connected, 0 while it is not (chat then reads the store); absent on a node without NATS.", nil, nil)

// relayGauge reports the chat relay's state at each scrape; the relay is
// set after the server is built, so the value is read, not kept.
type relayGauge struct{ s *Server }

// Describe sends the metric's description.
func (g relayGauge) Describe(ch chan<- *prometheus.Desc) { ch <- relayUp }

// Collect sends the relay's state, if the node has a relay.
func (g relayGauge) Collect(ch chan<- prometheus.Metric) {
	v := 0.0
	switch g.s.Chat.RelayState() {
	case chat.RelayOff:
		return
	case chat.RelayConnected:
		v = 1
	}
	ch <- prometheus.MustNewConstMetric(relayUp, prometheus.GaugeValue, v)
}
