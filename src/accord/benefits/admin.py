from django.contrib import admin

from accord.benefits.models import Account, Distribution, Payout, Pool, Statement, Transaction
from accord.people.admin_site import StewardAdmin


@admin.register(Pool)
class PoolAdmin(StewardAdmin):
    list_display = ["name", "unit", "method", "period_start", "period_end"]


@admin.register(Distribution)
class DistributionAdmin(StewardAdmin):
    list_display = ["pool", "round", "total", "committed_at"]


@admin.register(Statement)
class StatementAdmin(StewardAdmin):
    list_display = ["distribution", "member", "payout", "choice"]
    list_filter = ["choice"]


@admin.register(Payout)
class PayoutAdmin(StewardAdmin):
    list_display = ["statement", "amount", "unit", "status"]
    list_filter = ["status"]


@admin.register(Account)
class AccountAdmin(StewardAdmin):
    list_display = ["code", "kind", "unit"]
    list_filter = ["kind", "unit"]


@admin.register(Transaction)
class TransactionAdmin(StewardAdmin):
    list_display = ["key", "memo", "at"]
