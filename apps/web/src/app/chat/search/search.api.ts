import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { SearchMessagesQuery, SearchMessagesResponse } from '@chat/shared-dto';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class SearchApi {
  private readonly http = inject(HttpClient);

  messages(query: SearchMessagesQuery): Observable<SearchMessagesResponse> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params = params.set(key, String(value));
    }
    return this.http.get<SearchMessagesResponse>('/api/search/messages', { params });
  }
}
