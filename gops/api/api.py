from ninja import NinjaAPI

api = NinjaAPI(title="GOPS API", version="1")
