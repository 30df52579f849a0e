"""Public, read-only pages: approved figures only."""

from django.shortcuts import render

from indicators import selectors


def home(request):
    return render(request, "public/home.html", selectors.home_page())
