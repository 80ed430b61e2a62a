package dbroute

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	lagBytes, lagSeconds, inRotation *prometheus.GaugeVec
	reads                            *prometheus.CounterVec
	fallbacks                        *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		lagBytes: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "landatlas_replica_lag_bytes", Help: "WAL bytes the replica has not replayed yet, at the last poll.",
		}, []string{"replica"}),
		lagSeconds: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "landatlas_replica_lag_seconds", Help: "Age of the oldest primary WAL position the replica has not replayed, at the last poll.",
		}, []string{"replica"}),
		inRotation: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "landatlas_replica_in_rotation", Help: "1 when the replica serves reads, 0 when it is out of rotation (down, promoted or lagging).",
		}, []string{"replica"}),
		reads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landatlas_db_reads_total", Help: "Queries and read transactions of the read paths, by where they ran first (primary or replica).",
		}, []string{"target"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landatlas_replica_fallbacks_total", Help: "Reads that failed on a replica for want of a connection and ran again on the primary.",
		}, []string{"replica"}),
	}
	for _, c := range []prometheus.Collector{m.lagBytes, m.lagSeconds, m.inRotation, m.reads, m.fallbacks} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) observe(st ReplicaStatus) {
	m.lagBytes.WithLabelValues(st.Replica).Set(float64(st.LagBytes))
	m.lagSeconds.WithLabelValues(st.Replica).Set(st.LagSeconds)
	v := 0.0
	if st.InRotation {
		v = 1
	}
	m.inRotation.WithLabelValues(st.Replica).Set(v)
}
