"""Journey events (touchpoints): POST /events."""

from ninja import Router

router = Router()
