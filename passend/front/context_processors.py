from passend.accounts.access import scope_for
from passend.accounts.models import Membership


def navigation(request):
    """The header's roles and places of the logged-in user (one query, only when rendered)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def current_memberships():
        if scope_for(user).is_empty:
            return []
        return list(
            Membership.objects.current()
            .filter(user=user)
            .select_related("partnership", "school")
            .order_by("partnership__name", "school__name", "role")
        )

    return {"my_memberships": current_memberships}
