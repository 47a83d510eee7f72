"""The starter declaration with what a cookie banner asks about: audience measurement and
advertising cookies (each on a consent purpose), beside the starter's essential session cookie."""

from __future__ import annotations

from typing import Any

#: The site whose pages show the banner in the tests.
SHOP = "https://shop.example.com"


def with_banner(data: dict[str, Any], origins: tuple[str, ...] = (SHOP,)) -> None:
    data["controller"]["website"] = "https://www.example.com"
    data["data_categories"]["user.device.cookie"] = {}
    data["purposes"]["analytics"] = {
        "name": {"fr": "Mesure d'audience", "en": "Audience measurement"},
        "description": {
            "fr": "Compter les visites et les pages vues pour améliorer le site.",
            "en": "Counting visits and pages viewed to improve the site.",
        },
        "data_use": "analytics.reporting",
        "legal_basis": "consent",
        "consent": {
            "wording": {
                "fr": "J'accepte qu'Example dépose un cookie de mesure d'audience.",
                "en": "I agree that Example may set an audience measurement cookie.",
            }
        },
        "requirement": "voluntary",
        "subjects": ["prospect"],
        "categories": ["user.device.cookie"],
        "retention": "prospects",
    }
    data["purposes"]["advertising"] = {
        "name": {"fr": "Publicité ciblée", "en": "Targeted advertising"},
        "description": {
            "fr": "Vous montrer des publicités adaptées à votre navigation.",
            "en": "Showing you adverts suited to your browsing.",
        },
        "data_use": "marketing.advertising",
        "legal_basis": "consent",
        "consent": {
            "wording": {
                "fr": "J'accepte qu'Example dépose un cookie publicitaire.",
                "en": "I agree that Example may set an advertising cookie.",
            }
        },
        "requirement": "voluntary",
        "subjects": ["prospect"],
        "categories": ["user.device.cookie"],
        "retention": "prospects",
    }
    data["cookies"]["audience"] = {
        "purpose": "analytics",
        "lifetime": "13 months",
        "description": {"fr": "Distingue les visiteurs.", "en": "Tells visitors apart."},
    }
    data["cookies"]["ad_id"] = {
        "purpose": "advertising",
        "lifetime": "90 days",
        "provider": "Example Ads",
        "description": {"fr": "Identifiant publicitaire.", "en": "Advertising identifier."},
    }
    data["banner"] = {"origins": list(origins)}
