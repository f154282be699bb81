from django.urls import reverse

from accord.web.row_links import row_urls


def test_each_row_links_where_reverse_would() -> None:
    ids = [1, 7, 10, 99, 123_456_789]

    urls = row_urls("benefits:mark_paid", ids)

    assert urls == [reverse("benefits:mark_paid", args=[i]) for i in ids]
