import Hummingbird
import Logging
import Metrics
import Prometheus
