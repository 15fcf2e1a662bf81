from django.utils.cache import add_never_cache_headers, patch_cache_control


def no_store_for_users(get_response):
    """Every page a logged-in user sees may show case data: no cache may keep it
    (a shared computer at the centre, a proxy, the browser's back button)."""

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
